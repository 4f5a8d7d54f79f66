package dev.devtime.functions.team;

import dev.devtime.functions.aws.Metering;
import dev.devtime.functions.store.DayStore;
import dev.devtime.functions.store.TeamStore;
import dev.devtime.model.rollup.DayRollup;
import dev.devtime.model.team.MemberDay;
import java.time.LocalDate;
import java.util.List;

/**
 * Keeps copies of a user's days where others may see them: in each of the user's teams and, when the user
 * shares publicly, in the instance's leaderboard ({@code null} target). The aggregator writes them when it
 * stores a day (and, for an open day, when the day's next bucket starts); what a team actually sees of them
 * is decided when it reads them (share levels, current membership).
 */
public final class TeamRows {

    /** The {@link Metering} count of member-day writes (each a write unit: the items stay under 1 KB). */
    public static final String WRITES = "Teams.MemberDayWrite";

    private final TeamStore teams;

    public TeamRows(TeamStore teams) {
        this.teams = teams;
    }

    /**
     * One number ordered as rollups are: a newer settings version wins, then the larger sum of bucket
     * versions (see {@link DayStore.Source#covers}).
     */
    public static long version(DayStore.Source source) {
        return source.settingsVersion() * 1_000_000_000_000L + source.bucketVersionSum();
    }

    /** Copies the day to every target; a target holding a fresher copy keeps it. Returns the rows written. */
    public int write(String user, List<String> targets, DayRollup day, long version) {
        if (targets.isEmpty()) {
            return 0;
        }
        MemberDay row = MemberDay.of(day);
        int written = 0;
        for (String target : targets) {
            // Counted apart so the benchmark can tell the teams' share of the aggregator's writes.
            Metering.countRequest(WRITES);
            if (teams.putRow(target, user, row, version)) {
                written++;
            }
        }
        return written;
    }

    /** Removes the user's copies of {@code days} from one target. */
    public void remove(String user, String target, List<LocalDate> days) {
        teams.deleteRows(target, user, days);
    }
}
