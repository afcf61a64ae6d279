package io.gregor.bench.compare;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * What Linux knows of a process: CPU time (utime + stime from /proc/PID/stat, all threads,
 * kernel time included, so syscalls and page-cache copies count), the part of it its JIT
 * compiler threads used (from /proc/PID/task), and peak resident set size (VmHWM from
 * /proc/PID/status).
 */
final class ProcStats {
    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    private ProcStats() {
    }

    /** CPU seconds of a process: all of it, and its JIT compiler threads' part. */
    record CpuTime(double total, double jit) {
        CpuTime since(CpuTime earlier) {
            return new CpuTime(total - earlier.total, jit - earlier.jit);
        }

        /** The JIT compiler's part of the total, 0 to 1. */
        double jitShare() {
            return total > 0 ? jit / total : 0;
        }
    }

    static CpuTime cpu(long pid) throws IOException {
        return new CpuTime(cpuSeconds(Path.of("/proc", Long.toString(pid), "stat")), jitCpuSeconds(pid));
    }

    /**
     * The CPU time of the HotSpot compiler threads ("C1 CompilerThread0", "C2 CompilerThread0", ...,
     * cut to 15 characters by the kernel). On two cores the JVM runs one of each, for its whole life.
     */
    private static double jitCpuSeconds(long pid) throws IOException {
        double seconds = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) {
                        seconds += cpuSeconds(task.resolve("stat"));
                    }
                } catch (NoSuchFileException e) {
                    // the thread ended between listing and reading
                }
            }
        }
        return seconds;
    }

    private static double cpuSeconds(Path statFile) throws IOException {
        String stat = Files.readString(statFile);
        // The command name (field 2) may hold spaces; fields after it are counted from its closing ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long utime = Long.parseLong(fields[11]); // field 14
        long stime = Long.parseLong(fields[12]); // field 15
        return (utime + stime) / (double) CLOCK_TICKS_PER_SECOND;
    }

    static long peakRssBytes(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmHWM:")) {
                String kib = line.substring("VmHWM:".length()).replace("kB", "").trim();
                return Long.parseLong(kib) * 1024;
            }
        }
        throw new IOException("no VmHWM in /proc/" + pid + "/status");
    }

    private static long clockTicks() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(getconf.getInputStream().readAllBytes()).trim();
            getconf.waitFor();
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100; // USER_HZ on every mainstream Linux build
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }
}
