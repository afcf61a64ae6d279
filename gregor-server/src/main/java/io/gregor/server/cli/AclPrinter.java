package io.gregor.server.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.acl.AclBinding;

/** ACLs as the acl commands print them: one table row or one JSON object per ACL. */
final class AclPrinter {
    private AclPrinter() {
    }

    static void print(PrintWriter out, OutputFormat format, Collection<AclBinding> acls, String noneMessage) {
        if (format == OutputFormat.JSON) {
            List<Map<String, Object>> json = new ArrayList<>();
            for (AclBinding acl : acls) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("resourceType", acl.pattern().resourceType().name());
                entry.put("resourceName", acl.pattern().name());
                entry.put("patternType", acl.pattern().patternType().name());
                entry.put("principal", acl.entry().principal());
                entry.put("host", acl.entry().host());
                entry.put("operation", acl.entry().operation().name());
                entry.put("permission", acl.entry().permissionType().name());
                json.add(entry);
            }
            out.println(Json.write(json));
        } else if (acls.isEmpty()) {
            out.println(noneMessage);
        } else {
            Table table = new Table("RESOURCE-TYPE", "RESOURCE", "PATTERN", "PRINCIPAL", "HOST", "OPERATION",
                    "PERMISSION");
            acls.forEach(acl -> table.row(acl.pattern().resourceType(), acl.pattern().name(),
                    acl.pattern().patternType(), acl.entry().principal(), acl.entry().host(),
                    acl.entry().operation(), acl.entry().permissionType()));
            table.print(out);
        }
    }
}
