package org.l3wb.hw.replacement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.l3wb.hw.api.Replacement;

/**
 * {@link Recency#touchAgain} against touching the pair one by one: two instances take the same random
 * touches, one of them now and then a pair repeated at once where it accepts, the other touch by
 * touch; every set's victim must agree after every step, also long after (the state, not only the
 * next victim, is the same).
 */
class RecencyTest {
    @ParameterizedTest
    @EnumSource(Replacement.class)
    void aPairTouchedAgainAtOnceEqualsItsTouches(Replacement replacement) {
        for (int ways : new int[] {2, 4, 8}) {
            int sets = 4;
            Recency atOnce = Recency.of(replacement, sets, ways);
            Recency oneByOne = Recency.of(replacement, sets, ways);
            Random random = new Random(486 + ways);
            int accepted = 0;
            for (int step = 0; step < 20_000; step++) {
                int set = random.nextInt(sets);
                int first = random.nextInt(ways);
                int second = (first + 1 + random.nextInt(ways - 1)) % ways;
                if (random.nextInt(3) == 0) { // a string move's first item, then its repetitions
                    atOnce.touch(set, first);
                    atOnce.touch(set, second);
                    oneByOne.touch(set, first);
                    oneByOne.touch(set, second);
                }
                if (random.nextBoolean()) {
                    int times = 1 + random.nextInt(300);
                    if (atOnce.touchAgain(set, first, second, times)) {
                        accepted++;
                    } else {
                        for (int n = 0; n < times; n++) {
                            atOnce.touch(set, first);
                            atOnce.touch(set, second);
                        }
                    }
                    for (int n = 0; n < times; n++) {
                        oneByOne.touch(set, first);
                        oneByOne.touch(set, second);
                    }
                } else {
                    atOnce.touch(set, first);
                    oneByOne.touch(set, first);
                }
                for (int s = 0; s < sets; s++) {
                    assertEquals(oneByOne.victim(s), atOnce.victim(s), "set " + s + " at step " + step);
                }
                if (random.nextInt(5000) == 0) {
                    atOnce.clear();
                    oneByOne.clear();
                }
            }
            assertTrue(accepted > 1000, "the test exercises touchAgain: " + accepted);
        }
    }
}
