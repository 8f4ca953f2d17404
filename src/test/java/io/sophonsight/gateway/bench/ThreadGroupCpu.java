package io.sophonsight.gateway.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU time of a process split by the kind of thread that spent it, read from Linux's {@code /proc/<pid>/task/*}
 * (each thread's name and user + system ticks), so a benchmark can tell the work it measures from the JVM's own
 * costs: the JIT compiler threads, the garbage collector, and (in the HR benchmark's JVM) the built-in simulator.
 * Unlike a rate, the split hardly moves with other load on the machine. Threads that ended between two snapshots
 * are counted under {@code ended threads} (the process total minus the threads still alive).
 */
public final class ThreadGroupCpu {

    /** The groups, in report order; {@code work} is every other Java thread (HTTP, Camel, JDBC, the benchmark's own). */
    public static final String JIT = "JIT compiler";
    public static final String GC = "garbage collector";
    public static final String SIMULATOR = "simulator";
    public static final String VM = "other JVM threads";
    public static final String WORK = "work";
    public static final String ENDED = "ended threads";

    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private final long pid;
    private final Map<Long, long[]> before; // tid -> {group index, ticks}
    private final long processBefore;

    private ThreadGroupCpu(long pid) {
        this.pid = pid;
        this.before = threads(pid);
        this.processBefore = processTicks(pid);
    }

    /** A snapshot now, of this JVM. */
    public static ThreadGroupCpu start() {
        return start(ProcessHandle.current().pid());
    }

    /** A snapshot now, of another process (a gateway started with {@code java -jar}). */
    public static ThreadGroupCpu start(long pid) {
        return new ThreadGroupCpu(pid);
    }

    /** Whether this system exposes per-thread CPU times (Linux); elsewhere the split is empty. */
    public static boolean available() {
        return Files.isDirectory(Path.of("/proc/self/task"));
    }

    /** Seconds of CPU per group since the process started (not since the snapshot), plus {@code total}. */
    public Map<String, Double> sinceStart() {
        return split(Map.of(), 0);
    }

    /** Seconds of CPU per group since the snapshot, plus {@code total} (the whole process). */
    public Map<String, Double> stop() {
        return split(before, processBefore);
    }

    private Map<String, Double> split(Map<Long, long[]> before, long processBefore) {
        Map<Long, long[]> after = threads(pid);
        String[] names = {JIT, GC, SIMULATOR, VM, WORK};
        double[] seconds = new double[names.length];
        long alive = 0;
        for (Map.Entry<Long, long[]> thread : after.entrySet()) {
            long[] was = before.get(thread.getKey());
            long delta = thread.getValue()[1] - (was == null ? 0 : was[1]);
            seconds[(int) thread.getValue()[0]] += delta / (double) TICKS_PER_SECOND;
            alive += delta;
        }
        long total = processTicks(pid) - processBefore;
        Map<String, Double> split = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) {
            split.put(names[i], seconds[i]);
        }
        split.put(ENDED, Math.max(0, total - alive) / (double) TICKS_PER_SECOND);
        split.put("total", total / (double) TICKS_PER_SECOND);
        return split;
    }

    /** "work 5.1 ms, JIT compiler 1.2 ms, ..." per unit ({@code units} people, events...), largest first. */
    public static String perUnit(Map<String, Double> split, long units) {
        StringBuilder text = new StringBuilder();
        split.entrySet().stream().filter(e -> !"total".equals(e.getKey()) && e.getValue() > 0)
                .sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
                .forEach(e -> text.append(text.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.2f ms",
                        e.getKey(), e.getValue() * 1000 / units)));
        return text.toString();
    }

    static int group(String name) {
        if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") || name.startsWith("Sweeper")) {
            return 0;
        }
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("VM Thread")
                || name.startsWith("GC ") || name.startsWith("ZGC") || name.startsWith("ParGC")) {
            return 1;
        }
        if (name.startsWith("sophonsight-sim") || name.startsWith("HTTP-Dispatcher")) {
            return 2;
        }
        if (name.startsWith("VM ") || name.startsWith("Service Thread") || name.startsWith("Monitor Deflati")
                || name.startsWith("Notification Th") || name.startsWith("Signal Dispatch") || name.startsWith("Reference Handl")
                || name.startsWith("Finalizer") || name.startsWith("Common-Cleaner") || name.startsWith("JFR")) {
            return 3;
        }
        return 4;
    }

    private static Map<Long, long[]> threads(long pid) {
        Map<Long, long[]> threads = new LinkedHashMap<>();
        if (!available()) {
            return threads;
        }
        try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
            tasks.forEach(task -> {
                try {
                    String name = Files.readString(task.resolve("comm")).trim();
                    long ticks = ticks(Files.readString(task.resolve("stat")));
                    threads.put(Long.parseLong(task.getFileName().toString()), new long[]{group(name), ticks});
                } catch (IOException | RuntimeException e) {
                    // the thread ended while being read
                }
            });
        } catch (IOException e) {
            // the process ended
        }
        return threads;
    }

    private static long processTicks(long pid) {
        try {
            return ticks(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** utime + stime of a {@code stat} line; the name (field 2) may hold spaces and parentheses, so fields count after the last ')'. */
    static long ticks(String stat) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    }
}
