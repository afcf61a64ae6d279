package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.UserScramCredentialsDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gregor user list}: every user with a SCRAM credential, its mechanisms and iterations. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List the users that have SCRAM credentials, with mechanism and iterations.")
final class UserListCommand extends ClientCommand {
    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        Map<String, UserScramCredentialsDescription> users;
        try (Admin admin = admin()) {
            users = new TreeMap<>(admin.describeUserScramCredentials().all().get());
        }
        if (output == OutputFormat.JSON) {
            List<Map<String, Object>> json = new ArrayList<>();
            users.forEach((name, description) -> {
                List<Map<String, Object>> credentials = new ArrayList<>();
                for (ScramCredentialInfo info : sorted(description)) {
                    Map<String, Object> credential = new LinkedHashMap<>();
                    credential.put("mechanism", info.mechanism().mechanismName());
                    credential.put("iterations", info.iterations());
                    credentials.add(credential);
                }
                Map<String, Object> user = new LinkedHashMap<>();
                user.put("user", name);
                user.put("credentials", credentials);
                json.add(user);
            });
            out().println(Json.write(json));
        } else if (users.isEmpty()) {
            out().println("No users with SCRAM credentials");
        } else {
            Table table = new Table("USER", "MECHANISM", "ITERATIONS");
            users.forEach((name, description) -> sorted(description).forEach(info ->
                    table.row(name, info.mechanism().mechanismName(), info.iterations())));
            table.print(out());
        }
        return ExitCode.OK;
    }

    private static List<ScramCredentialInfo> sorted(UserScramCredentialsDescription description) {
        List<ScramCredentialInfo> infos = new ArrayList<>(description.credentialInfos());
        infos.sort(Comparator.comparing(info -> info.mechanism().mechanismName()));
        return infos;
    }
}
