package io.gregor.server.cli;

import java.io.Console;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gregor user set-scram NAME --mechanism M [--iterations N] [--password-file FILE]}. The
 * password comes from a file or stdin, never from the command line, where shell history and
 * {@code ps} would show it. The admin client salts it with a random salt, so only the salted
 * password travels and only keys derived from it are stored.
 */
@Command(name = "set-scram", mixinStandardHelpOptions = true,
        description = "Set (add or replace) a user's SCRAM credential for one mechanism. The password is read "
                + "from --password-file, else from stdin (prompted for, without echo, on a terminal).")
final class UserSetScramCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The user.")
    String user;

    @Option(names = {"-m", "--mechanism"}, required = true, paramLabel = "MECHANISM",
            converter = ScramMechanismConverter.class, description = "SCRAM-SHA-256 or SCRAM-SHA-512.")
    ScramMechanism mechanism;

    @Option(names = "--iterations", paramLabel = "N", defaultValue = "8192",
            description = "PBKDF2 iterations, 4096 to 16384 (default: ${DEFAULT-VALUE}).")
    int iterations;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "Read the password from FILE (one trailing line break is dropped).")
    Path passwordFile;

    @Override
    public Integer call() throws Exception {
        byte[] password = readPassword();
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(mechanism, iterations), password))).all().get();
        } finally {
            Arrays.fill(password, (byte) 0);
        }
        out().println("Set the " + mechanism.mechanismName() + " credential of user " + user + " (" + iterations
                + " iterations)");
        return ExitCode.OK;
    }

    private byte[] readPassword() throws IOException {
        byte[] password;
        if (passwordFile != null) {
            try {
                password = withoutTrailingLineBreak(Files.readAllBytes(passwordFile));
            } catch (NoSuchFileException e) {
                throw new UsageException("File " + passwordFile + " does not exist");
            }
        } else if (Terminal.isInteractive()) {
            password = prompt(System.console());
        } else {
            password = withoutTrailingLineBreak(System.in.readAllBytes());
        }
        if (password.length == 0) {
            throw new UsageException("The password is empty");
        }
        return password;
    }

    private byte[] prompt(Console console) {
        char[] typed = console.readPassword("Password for %s: ", user);
        if (typed == null) {
            return new byte[0];
        }
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(typed));
        Arrays.fill(typed, '\0');
        byte[] password = new byte[encoded.remaining()];
        encoded.get(password);
        return password;
    }

    /** Files and piped input end with a line break that is not part of the password. */
    private static byte[] withoutTrailingLineBreak(byte[] bytes) {
        int end = bytes.length;
        if (end > 0 && bytes[end - 1] == '\n') {
            end--;
            if (end > 0 && bytes[end - 1] == '\r') {
                end--;
            }
        }
        if (end == bytes.length) {
            return bytes;
        }
        byte[] trimmed = Arrays.copyOf(bytes, end);
        Arrays.fill(bytes, (byte) 0);
        return trimmed;
    }
}
