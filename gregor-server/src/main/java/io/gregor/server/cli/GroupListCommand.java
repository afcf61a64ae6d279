package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.GroupListing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gregor group list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List groups with their type and state.")
final class GroupListCommand extends ClientCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        List<GroupListing> groups;
        try (Admin admin = admin()) {
            groups = new ArrayList<>(admin.listGroups().all().get());
        }
        groups.sort(Comparator.comparing(GroupListing::groupId));
        if (output == OutputFormat.JSON) {
            List<Map<String, Object>> json = new ArrayList<>();
            for (GroupListing g : groups) {
                Map<String, Object> group = new LinkedHashMap<>();
                group.put("groupId", g.groupId());
                group.put("type", g.type().map(Object::toString));
                group.put("state", g.groupState().map(Object::toString));
                json.add(group);
            }
            out().println(Json.write(json));
        } else if (groups.isEmpty()) {
            out().println("No groups");
        } else {
            Table table = new Table("GROUP", "TYPE", "STATE");
            groups.forEach(g -> table.row(g.groupId(), g.type().map(Object::toString).orElse("-"),
                    g.groupState().map(Object::toString).orElse("-")));
            table.print(out());
        }
        return ExitCode.OK;
    }
}
