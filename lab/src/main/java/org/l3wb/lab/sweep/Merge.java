package org.l3wb.lab.sweep;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code lab:merge}: joins the outputs of a sweep's jobs (each a chunk of one grid) into one sweep,
 * rows in grid order, the same as the sweep run at once (chunk 0 of 1). Refuses, with one line naming
 * the two outputs, outputs of different builds or grids, a chunk given twice, and names a missing one.
 */
public final class Merge {
    private Merge() {
    }

    /**
     * @param paths each a sweep output ({@value SweepOutput#JSON} or its folder), or a folder whose
     *              sub-folders hold outputs (the {@code --emit-jobs} folder: {@code job-0}, {@code job-1}, …)
     */
    public static SweepOutput merge(List<Path> paths) {
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("lab:merge needs at least one sweep output folder");
        }
        List<Path> outputs = new ArrayList<>();
        for (Path p : paths) {
            outputs.addAll(expand(p));
        }
        List<SweepOutput> read = new ArrayList<>();
        for (Path p : outputs) {
            read.add(SweepOutput.read(p));
        }
        SweepOutput first = read.get(0);
        SweepOutput[] byChunk = new SweepOutput[first.chunks()];
        Path[] from = new Path[first.chunks()];
        for (int i = 0; i < read.size(); i++) {
            SweepOutput o = read.get(i);
            Path p = outputs.get(i);
            if (!o.build().equals(first.build())) {
                throw new IllegalArgumentException("outputs of different builds: " + outputs.get(0) + " (build "
                        + abbrev(first.build()) + ") and " + p + " (build " + abbrev(o.build()) + ")");
            }
            if (!o.grid().equals(first.grid()) || o.chunks() != first.chunks() || o.points() != first.points()) {
                throw new IllegalArgumentException("outputs of different grids: " + outputs.get(0) + " (grid "
                        + abbrev(first.grid()) + ", " + first.chunks() + " chunks) and " + p + " (grid "
                        + abbrev(o.grid()) + ", " + o.chunks() + " chunks)");
            }
            if (byChunk[o.chunk()] != null) {
                throw new IllegalArgumentException("chunk " + o.chunk() + "/" + o.chunks() + " given twice: "
                        + from[o.chunk()] + " and " + p);
            }
            byChunk[o.chunk()] = o;
            from[o.chunk()] = p;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int c = 0; c < byChunk.length; c++) {
            if (byChunk[c] == null) {
                throw new IllegalArgumentException("chunk " + c + "/" + byChunk.length + " of grid "
                        + abbrev(first.grid()) + " is missing (has its job run?)");
            }
            rows.addAll(byChunk[c].rows());
        }
        if (rows.size() != first.points()) {
            throw new IllegalArgumentException("the outputs hold " + rows.size() + " rows, the grid has "
                    + first.points() + " points");
        }
        return new SweepOutput(first.build(), first.grid(), 0, 1, first.points(), rows);
    }

    /**
     * @return {@code p} when it is an output, else the outputs in its sub-folders named {@code job-*} (or,
     * when none is, in all of them), in name order
     */
    static List<Path> expand(Path p) {
        if (!Files.isDirectory(p) || Files.exists(p.resolve(SweepOutput.JSON))) {
            return List.of(p);
        }
        try (Stream<Path> s = Files.list(p)) {
            List<Path> all = s.filter(d -> Files.isRegularFile(d.resolve(SweepOutput.JSON))).sorted().toList();
            // the --emit-jobs folder: its jobs' folders, not a merge written beside them
            List<Path> jobs = all.stream().filter(d -> d.getFileName().toString().startsWith("job-")).toList();
            List<Path> subs = jobs.isEmpty() ? all : jobs;
            if (subs.isEmpty()) {
                throw new IllegalArgumentException(p + " holds no sweep output (" + SweepOutput.JSON
                        + ", or folders holding one)");
            }
            return subs;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + p + ": " + e.getMessage());
        }
    }

    private static String abbrev(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }
}
