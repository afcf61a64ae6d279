package io.gregor.server.cli;

import java.util.ArrayList;
import java.util.Comparator;
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
 * {@code gregor acl list}: every ACL, or those of a principal, or those named as a resource (of
 * either pattern type, as kafka-acls.sh --list does).
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "List ACLs: all of them, or those of a principal and/or named as a resource.")
final class AclListCommand extends ClientCommand {
    @Option(names = "--principal", paramLabel = "PRINCIPAL", description = "Only this principal's, e.g. User:alice.")
    String principal;

    @ArgGroup(exclusive = true)
    AclResource resource;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    OutputFormat output;

    @Override
    public Integer call() throws Exception {
        ResourcePatternFilter patterns = resource == null ? ResourcePatternFilter.ANY
                : new ResourcePatternFilter(resource.type(), resource.name(), PatternType.ANY);
        AclBindingFilter filter = new AclBindingFilter(patterns,
                new AccessControlEntryFilter(principal, null, AclOperation.ANY, AclPermissionType.ANY));
        List<AclBinding> acls;
        try (Admin admin = admin()) {
            acls = new ArrayList<>(admin.describeAcls(filter).values().get());
        }
        acls.sort(Comparator.comparing((AclBinding acl) -> acl.pattern().resourceType())
                .thenComparing(acl -> acl.pattern().name())
                .thenComparing(acl -> acl.pattern().patternType())
                .thenComparing(acl -> acl.entry().principal())
                .thenComparing(acl -> acl.entry().operation()));
        AclPrinter.print(out(), output, acls, "No ACLs");
        return ExitCode.OK;
    }
}
