package io.gregor.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Key stores for TLS tests, made by the JDK's keytool: PKCS12, one password for store and key. */
public final class TestKeyStores {
    private TestKeyStores() {
    }

    /**
     * Makes {@code file} with a key pair under {@code alias} and a self-signed certificate for
     * {@code CN=commonName} naming {@code subjectAltNames} (keytool's SAN syntax, e.g. {@code dns:a,ip:127.0.0.1}).
     */
    public static void keyStore(Path file, String alias, String commonName, String subjectAltNames, String password)
            throws Exception {
        keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + commonName, "-ext", "SAN=" + subjectAltNames, "-keystore", file.toString(),
                "-storetype", "PKCS12", "-storepass", password, "-keypass", password);
    }

    /** Runs keytool with these arguments and checks that it succeeded. */
    public static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }
}
