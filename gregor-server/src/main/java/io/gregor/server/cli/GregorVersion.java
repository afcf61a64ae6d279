package io.gregor.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Gregor's version, from gregor-version.properties (filled in by the build). */
public final class GregorVersion implements IVersionProvider {
    private static final String VERSION = load();

    public static String version() {
        return VERSION;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"Gregor " + VERSION + " (Java " + Runtime.version() + ")"};
    }

    private static String load() {
        try (InputStream in = GregorVersion.class.getResourceAsStream("/gregor-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
