package org.l3wb.lab.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class JobsTest {
    private static final String HASH = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void parallelHasOneCommandLinePerJobEachWithItsOwnFolders() {
        String text = Jobs.emit(Jobs.Kind.PARALLEL, "/data/s", 3, 3, HASH, "img", "claim");
        List<String> lines = text.lines().toList();
        assertEquals(3, lines.size());
        assertEquals("java -Dfelix.cm.dir=\"/data/s/job-1/config\" -Dfelix.fileinstall.dir=\"/data/s/job-1/plugins\" "
                + "-jar '/data/s/workbench.jar' \"lab:sweep --grid '/data/s/grid.txt' --chunk 1/3 --out '/data/s/job-1' "
                + "--cache '/data/s/cache' --threads 1\"", lines.get(1));
    }

    @Test
    void slurmIsOneArrayTaskPerChunk() {
        String text = Jobs.emit(Jobs.Kind.SLURM, "/data/s", 5000, 1001, HASH, "img", "claim");
        assertTrue(text.startsWith("#!/bin/sh\n#SBATCH --job-name=l3wb-sweep\n#SBATCH --array=0-1000\n"), text);
        assertTrue(text.contains("\ni=$SLURM_ARRAY_TASK_ID\n"), text);
        assertTrue(text.contains("--chunk $i/1001 --out '/data/s/job-$i'"), text);
        assertTrue(text.contains("-Dfelix.cm.dir=\"/data/s/job-$i/config\""), text);
    }

    @Test
    void k8sIsAnIndexedJob() {
        String text = Jobs.emit(Jobs.Kind.K8S, "/data/s", 7, 7, HASH, "eclipse-temurin:17-jre", "sweeps");
        assertTrue(text.contains("\nkind: Job\n"), text);
        assertTrue(text.contains("\n  name: l3wb-sweep-0123456789ab\n"), text);
        assertTrue(text.contains("\n  completionMode: Indexed\n  completions: 7\n"), text);
        assertTrue(text.contains("command: [\"sh\", \"-c\", \"i=$JOB_COMPLETION_INDEX; exec java -Dfelix.cm.dir=\\\"/data/s/job-$i/config\\\""), text);
        assertTrue(text.contains("          claimName: sweeps\n"), text);
        assertTrue(text.contains("          mountPath: /data/s\n"), text);
    }

    @Test
    void aFolderTheJobLinesCannotCarryIsRefused() {
        assertEquals("--out '/data/it's' holds ''', which the job lines cannot carry: choose another folder",
                assertThrows(IllegalArgumentException.class,
                        () -> Jobs.emit(Jobs.Kind.PARALLEL, "/data/it's", 1, 1, HASH, "i", "c")).getMessage());
        assertEquals("unknown --emit-jobs 'pbs': expected parallel, slurm or k8s",
                assertThrows(IllegalArgumentException.class, () -> Jobs.Kind.parse("pbs")).getMessage());
    }
}
