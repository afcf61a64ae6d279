package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gregor acl remove}: the ACLs of the resource (as named: LITERAL, or PREFIXED with
 * --prefixed) that also match the principal, operations, host and permission given; an option left
 * out matches any value.
 */
@Command(name = "remove", mixinStandardHelpOptions = true,
        description = "Remove the ACLs of a resource, narrowed by principal, operation, host and permission.")
final class AclRemoveCommand extends ClientCommand {
    @ArgGroup(exclusive = true)
    AclAddCommand.Permission permission;

    @Option(names = "--principal", paramLabel = "PRINCIPAL", description = "Only this principal's, e.g. User:alice.")
    String principal;

    @Option(names = "--operation", split = ",", paramLabel = "OPERATION", converter = AclOperationConverter.class,
            description = "Only these operations, separated by commas.")
    List<AclOperation> operations = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    AclResource resource;

    @Option(names = "--prefixed", description = "The PREFIXED ACLs of the name given, not the LITERAL ones.")
    boolean prefixed;

    @Option(names = "--host", paramLabel = "HOST", description = "Only those for this host.")
    String host;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        ResourcePatternFilter pattern = new ResourcePatternFilter(resource.type(), resource.name(),
                prefixed ? PatternType.PREFIXED : PatternType.LITERAL);
        AclPermissionType type = permission == null ? AclPermissionType.ANY
                : permission.allow ? AclPermissionType.ALLOW : AclPermissionType.DENY;
        List<AclBindingFilter> filters = new ArrayList<>();
        for (AclOperation operation : operations.isEmpty() ? List.of(AclOperation.ANY) : operations) {
            filters.add(new AclBindingFilter(pattern, new AccessControlEntryFilter(principal, host, operation, type)));
        }
        Collection<AclBinding> removed;
        try (Admin admin = admin()) {
            removed = admin.deleteAcls(filters).all().get();
        }
        if (output == OutputFormat.TEXT && !removed.isEmpty()) {
            out().println("Removed " + removed.size() + (removed.size() == 1 ? " ACL:" : " ACLs:"));
        }
        AclPrinter.print(out(), output, removed, "No ACLs matched; nothing was removed");
        return ExitCode.OK;
    }
}
