package io.gregor.server.cli;

import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gregor group delete GROUP...}: removes empty groups and their committed offsets. */
@Command(name = "delete", mixinStandardHelpOptions = true,
        description = "Delete groups that have no active members, with their committed offsets.")
final class GroupDeleteCommand extends ClientCommand {
    @Parameters(paramLabel = "GROUP", arity = "1..*", description = "Group(s) to delete.")
    List<String> groups;

    @Override
    public Integer call() throws Exception {
        try (Admin admin = admin()) {
            admin.deleteConsumerGroups(groups).all().get();
        }
        groups.forEach(g -> out().println("Deleted group " + g));
        return ExitCode.OK;
    }
}
