package io.gregor.tests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key pairs and certificates for TLS tests: a PKCS12 key store per party with a self-signed
 * certificate for 127.0.0.1, made with the JDK's keytool (the JDK has no public API that signs a
 * certificate), its certificate as PEM, and trust stores. The PEM and the trust stores are made
 * with the KeyStore API in the test's JVM: keytool is a JVM of its own to start, a second or more
 * on a busy machine, and a cluster of five nodes needed fifteen of them.
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

    /** The certificate of the key store's key pair, as PEM (also written to {@code name.pem} beside the key store). */
    static String certificatePem(Path keyStore, String name) throws Exception {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        String pem = "-----BEGIN CERTIFICATE-----\n" + base64.encodeToString(certificate(keyStore, name).getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(keyStore.resolveSibling(name + ".pem"), pem, StandardCharsets.US_ASCII);
        return pem;
    }

    /**
     * A PKCS12 trust store {@code dir/name.p12} that trusts the certificate of {@code keyStore}'s
     * key pair, under {@code alias}: made, or added to when it exists.
     */
    static Path trustStore(Path dir, String name, Path keyStore, String alias) throws Exception {
        certificatePem(keyStore, alias);
        Path trustStore = dir.resolve(name + ".p12");
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        if (Files.exists(trustStore)) {
            try (InputStream in = Files.newInputStream(trustStore)) {
                trusted.load(in, PASSWORD.toCharArray());
            }
        } else {
            trusted.load(null, null);
        }
        trusted.setCertificateEntry(alias, certificate(keyStore, alias));
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            trusted.store(out, PASSWORD.toCharArray());
        }
        return trustStore;
    }

    private static Certificate certificate(Path keyStore, String alias) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        Certificate certificate = store.getCertificate(alias);
        if (certificate == null) {
            throw new IllegalArgumentException("no certificate " + alias + " in " + keyStore);
        }
        return certificate;
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
