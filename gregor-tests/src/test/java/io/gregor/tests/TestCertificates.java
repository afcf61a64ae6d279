package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key pairs and certificates for TLS tests, made with the JDK's keytool: a PKCS12 key store per
 * party with a self-signed certificate for 127.0.0.1, its certificate as PEM, and trust stores.
 */
final class TestCertificates {
    static final String PASSWORD = "test-secret";

    private TestCertificates() {
    }

    /** A key store {@code dir/name.p12} with a key pair and a self-signed certificate for {@code commonName} at 127.0.0.1. */
    static Path keyStore(Path dir, String name, String commonName) throws Exception {
        return keyStore(dir, name, commonName, "ip:127.0.0.1,dns:localhost");
    }

    /** Like {@link #keyStore(Path, String, String)}, the certificate naming {@code subjectAltNames} (keytool's SAN syntax). */
    static Path keyStore(Path dir, String name, String commonName, String subjectAltNames) throws Exception {
        Path keyStore = dir.resolve(name + ".p12");
        keytool("-genkeypair", "-alias", name, "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + commonName, "-ext", "SAN=" + subjectAltNames,
                "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        return keyStore;
    }

    /** The certificate of the key store's key pair, as PEM. */
    static String certificatePem(Path keyStore, String name) throws Exception {
        Path pem = keyStore.resolveSibling(name + ".pem");
        keytool("-exportcert", "-rfc", "-alias", name, "-keystore", keyStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-file", pem.toString());
        return Files.readString(pem, StandardCharsets.US_ASCII);
    }

    /** A PKCS12 trust store {@code dir/name.p12} that trusts the certificate of {@code keyStore}'s key pair. */
    static Path trustStore(Path dir, String name, Path keyStore, String alias) throws Exception {
        certificatePem(keyStore, alias);
        Path trustStore = dir.resolve(name + ".p12");
        keytool("-importcert", "-noprompt", "-alias", alias, "-file", keyStore.resolveSibling(alias + ".pem").toString(),
                "-keystore", trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return trustStore;
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
    }
}
