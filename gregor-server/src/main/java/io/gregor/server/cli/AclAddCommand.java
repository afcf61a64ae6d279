package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gregor acl add}: one ACL per operation; adding an ACL that exists changes nothing. */
@Command(name = "add", mixinStandardHelpOptions = true,
        description = "Allow or deny a principal operations on a resource.")
final class AclAddCommand extends ClientCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Permission permission;

    @Option(names = "--principal", required = true, paramLabel = "PRINCIPAL",
            description = "Type:name, e.g. User:alice, or User:* for every user.")
    String principal;

    @Option(names = "--operation", required = true, split = ",", paramLabel = "OPERATION",
            converter = AclOperationConverter.class,
            description = "READ, WRITE, CREATE, DELETE, ALTER, DESCRIBE, ALL...; several separated by commas.")
    List<AclOperation> operations;

    @ArgGroup(exclusive = true, multiplicity = "1")
    AclResource resource;

    @Option(names = "--prefixed", description = "Every resource whose name starts with the name given.")
    boolean prefixed;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = "*",
            description = "The client's IP address, or * for any (default: ${DEFAULT-VALUE}).")
    String host;

    /** Whether the ACL allows or denies; exactly one. */
    static final class Permission {
        @Option(names = "--allow", description = "Allow the operations.")
        boolean allow;

        @Option(names = "--deny", description = "Deny the operations; a DENY wins over any ALLOW.")
        boolean deny;
    }

    @Override
    public Integer call() throws Exception {
        ResourcePattern pattern = new ResourcePattern(resource.type(), resource.name(),
                prefixed ? PatternType.PREFIXED : PatternType.LITERAL);
        AclPermissionType type = permission.allow ? AclPermissionType.ALLOW : AclPermissionType.DENY;
        List<AclBinding> acls = new ArrayList<>();
        operations.forEach(operation -> acls.add(new AclBinding(pattern,
                new AccessControlEntry(principal, host, operation, type))));
        try (Admin admin = admin()) {
            admin.createAcls(acls).all().get();
        }
        acls.forEach(acl -> out().println("Added: " + type + " " + principal + " " + acl.entry().operation()
                + " on " + pattern.resourceType() + " " + pattern.name() + " (" + pattern.patternType()
                + ") from " + host));
        return ExitCode.OK;
    }
}
