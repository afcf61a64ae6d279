package io.gregor.server.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that talks to a cluster: connection options, output streams, the admin client. */
abstract class ClientCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions client;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean verbose() {
        return spec.root().userObject() instanceof GregorCommand root && root.verbose;
    }

    Admin admin() {
        return Clients.admin(client, verbose());
    }
}
