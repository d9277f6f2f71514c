package org.l3wb.lab.sweep;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.l3wb.lab.ipc.Experiments;
import org.l3wb.lab.ipc.PingPong;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * Runs a sweep's points, each an independent ping-pong (section 6) on a fresh machine and kernel built
 * for it ({@link PingPong#run}), on {@code threads} threads; the simulator being deterministic, the
 * figures do not depend on the threads or the order. A point found in the cache folder — under the
 * SHA-256 of its hash and the build's digest, so another build never reuses it — is read, not run;
 * a run point is stored there (written beside, then renamed: jobs may share the folder).
 *
 * <p>Usage: {@code new Sweep(installed, Build.current(), cacheDir, 2).run(points, progress)}.
 */
public final class Sweep {
    /** What a run did: the rows in point order, and how many were computed, cached or could not run. */
    public record Outcome(List<Map<String, Object>> rows, int computed, int cached, int unsupported) {
    }

    private final Installed installed;
    private final String build;
    private final Path cache;
    private final int threads;

    /** @param cache the cache folder, or null for none */
    public Sweep(Installed installed, String build, Path cache, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        this.installed = installed;
        this.build = build;
        this.cache = cache;
        this.threads = threads;
    }

    /** @return the rows of {@code points}, in order; {@code progress} is told after each point (from any thread) */
    public Outcome run(List<Point> points, Experiments.Progress progress) {
        Map<String, Object>[] rows = rowArray(points.size());
        List<Integer> todo = new ArrayList<>();
        int cached = 0;
        int unsupported = 0;
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            String why = p.unsupported();
            if (why != null) {
                rows[i] = row(p, null, why);
                unsupported++;
            } else if ((rows[i] = cached(p)) != null) {
                cached++;
            } else {
                todo.add(i);
            }
        }
        AtomicInteger done = new AtomicInteger(points.size() - todo.size());
        progress.runs(done.get(), points.size());
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, todo.size())));
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i : todo) {
                futures.add(pool.submit(() -> {
                    Point p = points.get(i);
                    PingPong.Result r = new PingPong(installed.machines(), installed.kernel()).run(p.config());
                    rows[i] = row(p, r, null);
                    store(p, rows[i]);
                    progress.runs(done.incrementAndGet(), points.size());
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(List.of(rows), todo.size(), cached, unsupported);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object>[] rowArray(int n) {
        return new Map[n];
    }

    /** @return a row: the point, then its figures rounded as {@code lab:pingpong} prints them (none without a result) */
    static Map<String, Object> row(Point p, PingPong.Result r, String note) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("hash", p.hash());
        row.put("processor", p.model().name());
        row.put("mechanism", p.mechanism());
        row.put("scheduler", p.scheduler());
        row.put("switches_off", p.switchesOff());
        row.put("size", (long) p.size());
        row.put("rounds", (long) p.rounds());
        row.put("cycles", r == null ? null : r.cycles());
        row.put("ipcs", r == null ? null : r.ipcs());
        row.put("cycles_per_ipc", r == null ? null : Math.round(r.cyclesPerIpc() * 10) / 10.0);
        row.put("us_per_ipc", r == null ? null : Math.round(r.microsPerIpc() * 100) / 100.0);
        row.put("tlb_misses_per_ipc", r == null ? null : Math.round(r.tlbMissesPerIpc() * 100) / 100.0);
        row.put("cache_misses_per_ipc", r == null ? null : Math.round(r.cacheMissesPerIpc() * 100) / 100.0);
        row.put("footprint_bytes", r == null ? null : (long) r.footprintBytes());
        row.put("note", note == null ? "" : note);
        return row;
    }

    /** @return the cache file of {@code p} under this build, or null without a cache */
    Path cacheFile(Point p) {
        return cache == null ? null : cache.resolve(Grid.sha256(p.hash() + "\n" + build) + ".json");
    }

    private Map<String, Object> cached(Point p) {
        Path f = cacheFile(p);
        if (f == null || !Files.isRegularFile(f)) {
            return null;
        }
        try {
            Object v = JsonValues.read(f);
            if (v instanceof Map<?, ?> m && build.equals(m.get("build")) && m.get("row") instanceof Map<?, ?> r
                    && p.hash().equals(r.get("hash"))) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (String c : SweepOutput.COLUMNS) {
                    row.put(c, r.get(c));
                }
                return row;
            }
        } catch (IllegalArgumentException e) {
            // a damaged entry (a disk filled mid-write elsewhere) is run again and replaced
        }
        return null;
    }

    private void store(Point p, Map<String, Object> row) {
        Path f = cacheFile(p);
        if (f == null) {
            return;
        }
        StringWriter w = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("build", build);
            g.writeFieldName("row");
            SweepOutput.writeRow(g, row);
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        try {
            Files.createDirectories(cache);
            SweepOutput.replace(f, w + "\n");
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the sweep cache " + cache + ": " + e.getMessage(), e);
        }
    }
}
