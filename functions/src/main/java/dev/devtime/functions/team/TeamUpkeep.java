package dev.devtime.functions.team;

import dev.devtime.functions.Log;
import dev.devtime.functions.aggregate.Aggregator;
import dev.devtime.functions.queue.HeartbeatQueue;
import dev.devtime.functions.store.DayStore;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.functions.store.TeamStore;
import dev.devtime.functions.store.UserDataStore;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * What happens to a user's copied days when they join or leave a team, start or stop sharing publicly, or
 * delete their account; and the removal of a deleted team's remaining items.
 */
public final class TeamUpkeep {

    /** A new member's history a team sees: the days of the year before joining, and everything after. */
    public static final int BACKFILL_DAYS = 400;
    /** The public leaderboard covers the last 7 days in any time zone. */
    public static final int LEADER_DAYS = 9;
    /** Items a deleted team's partition loses per queue message. */
    public static final int TEAM_ITEMS_PER_PART = 1000;

    private final TeamStore teams;
    private final TeamRows rows;
    private final DayStore days;
    private final UserDataStore data;
    private final SettingsStore settings;
    private final Aggregator aggregator;
    private final HeartbeatQueue queue;
    private final Clock clock;

    public TeamUpkeep(
            TeamStore teams,
            DayStore days,
            UserDataStore data,
            SettingsStore settings,
            Aggregator aggregator,
            HeartbeatQueue queue,
            Clock clock) {
        this.queue = queue;
        this.teams = teams;
        this.rows = new TeamRows(teams);
        this.days = days;
        this.data = data;
        this.settings = settings;
        this.aggregator = aggregator;
        this.clock = clock;
    }

    /**
     * Copies the user's recent days (stored ones and open ones, computed from their buckets) to a target: a
     * team they just joined or created, or (null) the public leaderboard they just opted in to. Rows the
     * aggregator wrote meanwhile are fresher and stay.
     */
    public int backfill(String user, String target, int daysBack) {
        SettingsStore.UserState state = settings.load(user);
        LocalDate today = LocalDate.now(clock.withZone(state.timing().zone()));
        // The public leaderboard's target is null, which List.of refuses.
        List<String> targets = Collections.singletonList(target);
        int written = 0;
        for (DayStore.Stored d : days.stored(user, today.minusDays(daysBack), today.plusDays(1))) {
            written += rows.write(user, targets, d.rollup(), TeamRows.version(d.source()));
        }
        for (LocalDate open : state.openDays()) {
            Aggregator.Computed c = aggregator.compute(user, open, state.settings(), false);
            written += rows.write(user, targets, c.rollup(), TeamRows.version(c.source()));
        }
        return written;
    }

    /** Deletes the user's copies in a target: after leaving a team, or opting out of the public leaderboard. */
    public void removeRows(String user, String target) {
        TreeSet<LocalDate> all = new TreeSet<>();
        if (target == null) {
            LocalDate today = LocalDate.now(clock);
            for (int i = -1; i <= LEADER_DAYS + 1; i++) {
                all.add(today.minusDays(i));
            }
        } else {
            all.addAll(data.storedDays(user));
        }
        all.addAll(settings.load(user).openDays());
        rows.remove(user, target, new ArrayList<>(all));
    }

    /**
     * Takes a deleted account out of its teams and the public leaderboard, rows included. An owner's team goes
     * to its longest-standing admin (else member); a team left empty is deleted. Safe to repeat.
     */
    public void accountDeleted(String user, SettingsStore.UserState state) {
        for (String team : state.teams()) {
            removeRows(user, team);
            TeamStore.Roster roster = teams.roster(team, true);
            if (roster != null && roster.team().owner().equals(user)) {
                TeamStore.Member heir = roster.members().stream()
                        .filter(m -> !m.user().equals(user))
                        .min(Comparator.comparing((TeamStore.Member m) -> m.role() == TeamStore.Role.ADMIN ? 0 : 1)
                                .thenComparingLong(TeamStore.Member::joinedMs))
                        .orElse(null);
                if (heir == null) {
                    // The account deletion's own chain goes on; the team's items follow in theirs.
                    teams.deleteTeam(team, roster.members());
                    if (!deleteTeamPart(team)) {
                        queue.deleteTeam(team, clock.millis());
                    }
                    continue;
                }
                teams.transfer(team, user, heir.user());
            }
            teams.remove(team, user);
        }
        if (state.shared()) {
            removeRows(user, null);
        }
        Log.info("account left its teams", "user", user, "teams", state.teams().size());
    }

    /** Deletes a part of a deleted team's remaining items; true when none are left. */
    public boolean deleteTeamPart(String team) {
        return teams.deleteSomeOfTeam(team, TEAM_ITEMS_PER_PART);
    }
}
