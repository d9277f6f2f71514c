package org.l3wb.lab.sweep;

import java.util.Locale;

/**
 * {@code lab:sweep --emit-jobs}: a sweep's chunks as jobs of an existing scheduler, past one machine.
 * Every job runs the prebuilt jar ({@code OUT/workbench.jar}, copied there once, so no job builds
 * anything) as {@code java -Dfelix.cm.dir=OUT/job-I/config -Dfelix.fileinstall.dir=OUT/job-I/plugins
 * -jar OUT/workbench.jar "lab:sweep --grid OUT/grid.txt --chunk I/N --out OUT/job-I --cache OUT/cache"}:
 * its own Config Admin and FileInstall folders (no shared {@code state/}), its own output folder, one
 * cache shared by all (entries are renamed into place). {@code lab:merge OUT} then joins the jobs'
 * outputs.
 * <ul>
 * <li>{@code parallel}: one command line per job, for GNU parallel ({@code parallel < OUT/jobs.txt});</li>
 * <li>{@code slurm}: an sbatch script of a job array, at most {@code --max-array} tasks (SLURM's
 * MaxArraySize, 1001 by default), each task a chunk;</li>
 * <li>{@code k8s}: a Kubernetes indexed Job ({@code completionMode: Indexed}), one completion per chunk,
 * the index from {@code JOB_COMPLETION_INDEX}; OUT is a PersistentVolumeClaim mounted at OUT's path.</li>
 * </ul>
 */
public final class Jobs {
    /** The schedulers jobs are written for. */
    public enum Kind {
        PARALLEL("jobs.txt"), SLURM("sweep.sbatch"), K8S("sweep-job.yaml");

        /** The job file's name in OUT. */
        public final String file;

        Kind(String file) {
            this.file = file;
        }

        /** @return the kind named {@code name}; fails with one line */
        public static Kind parse(String name) {
            for (Kind k : values()) {
                if (k.name().equalsIgnoreCase(name.strip())) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown --emit-jobs '" + name + "': expected parallel, slurm or k8s");
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** SLURM's default MaxArraySize: array indices 0..1000. */
    public static final int SLURM_MAX_ARRAY = 1001;
    /** The jar's name in OUT. */
    public static final String JAR = "workbench.jar";
    /** The grid's file in OUT. */
    public static final String GRID = "grid.txt";

    private Jobs() {
    }

    /**
     * @param out    the sweep's folder, absolute, with only characters a shell's and batch mode's quotes keep
     * @param points the grid's distinct points
     * @param chunks how many jobs
     * @return the job file's text
     */
    public static String emit(Kind kind, String out, int points, int chunks, String gridHash, String image,
            String claim) {
        checkPath(out);
        String cmd = "java -Dfelix.cm.dir=\"" + out + "/job-$i/config\" -Dfelix.fileinstall.dir=\"" + out
                + "/job-$i/plugins\" -jar '" + out + "/" + JAR + "' \"lab:sweep --grid '" + out + "/" + GRID
                + "' --chunk $i/" + chunks + " --out '" + out + "/job-$i' --cache '" + out + "/cache' --threads 1\"";
        String header = "l3wb sweep of grid " + gridHash + ": " + points + " points in " + chunks + " jobs; then "
                + "java -jar " + out + "/" + JAR + " \"lab:merge --out '" + out + "/merged' '" + out + "'\"";
        return switch (kind) {
            case PARALLEL -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < chunks; i++) {
                    sb.append(cmd.replace("$i", Integer.toString(i))).append('\n');
                }
                yield sb.toString();
            }
            case SLURM -> "#!/bin/sh\n"
                    + "#SBATCH --job-name=l3wb-sweep\n"
                    + "#SBATCH --array=0-" + (chunks - 1) + "\n"
                    + "#SBATCH --cpus-per-task=1\n"
                    + "#SBATCH --output=" + out + "/slurm-%A_%a.out\n"
                    + "# " + header + "\n"
                    + "set -eu\n"
                    + "i=$SLURM_ARRAY_TASK_ID\n"
                    + cmd + "\n";
            case K8S -> "# " + header + "\n"
                    + "apiVersion: batch/v1\n"
                    + "kind: Job\n"
                    + "metadata:\n"
                    + "  name: l3wb-sweep-" + gridHash.substring(0, 12) + "\n"
                    + "spec:\n"
                    + "  completionMode: Indexed\n"
                    + "  completions: " + chunks + "\n"
                    + "  parallelism: " + chunks + "\n"
                    + "  template:\n"
                    + "    spec:\n"
                    + "      restartPolicy: Never\n"
                    + "      containers:\n"
                    + "      - name: sweep\n"
                    + "        image: " + image + "\n"
                    + "        command: [\"sh\", \"-c\", " + yamlString("i=$JOB_COMPLETION_INDEX; exec " + cmd) + "]\n"
                    + "        resources:\n"
                    + "          requests:\n"
                    + "            cpu: \"1\"\n"
                    + "        volumeMounts:\n"
                    + "        - name: sweep\n"
                    + "          mountPath: " + out + "\n"
                    + "      volumes:\n"
                    + "      - name: sweep\n"
                    + "        persistentVolumeClaim:\n"
                    + "          claimName: " + claim + "\n";
        };
    }

    /** A double-quoted YAML scalar: backslashes and double quotes escaped. */
    static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Refuses a path the job lines could not carry through a shell's double quotes and batch mode's single ones. */
    static void checkPath(String path) {
        for (char c : path.toCharArray()) {
            if (c == '\'' || c == '"' || c == '$' || c == '\\' || c == '`' || c < ' ') {
                throw new IllegalArgumentException("--out '" + path + "' holds '" + (c < ' ' ? "\\u" + (int) c : c)
                        + "', which the job lines cannot carry: choose another folder");
            }
        }
    }
}
