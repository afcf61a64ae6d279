package io.gregor.server.cli;

import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gregor user delete-scram NAME --mechanism M}: the user's other mechanisms stay. */
@Command(name = "delete-scram", mixinStandardHelpOptions = true,
        description = "Delete a user's SCRAM credential for one mechanism.")
final class UserDeleteScramCommand extends ClientCommand {
    @Parameters(paramLabel = "NAME", description = "The user.")
    String user;

    @Option(names = {"-m", "--mechanism"}, required = true, paramLabel = "MECHANISM",
            converter = ScramMechanismConverter.class, description = "SCRAM-SHA-256 or SCRAM-SHA-512.")
    ScramMechanism mechanism;

    @Override
    public Integer call() throws Exception {
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(user, mechanism))).all().get();
        }
        out().println("Deleted the " + mechanism.mechanismName() + " credential of user " + user);
        return ExitCode.OK;
    }
}
