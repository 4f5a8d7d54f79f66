package dev.devtime.functions.aggregate;

import dev.devtime.functions.Log;
import dev.devtime.functions.queue.HeartbeatQueue;
import dev.devtime.functions.store.SettingsStore;
import dev.devtime.functions.store.UserDataStore;
import dev.devtime.functions.team.TeamUpkeep;
import java.time.Clock;

/**
 * Deletes a deleted account's data in the background, a bounded part per queue message, so no run comes
 * near the function's timeout however much the account holds. Each part queues the next before its own
 * message is acknowledged: a crash in between redelivers the message, and a part that runs twice (or two
 * chains at once, after a second deletion request) only finds less to delete, since each part starts from
 * whatever is left.
 */
public final class AccountDeletion {

    /** About 40 BatchWriteItem calls and the reads before them: a few seconds at most. */
    static final int ITEMS_PER_MESSAGE = 1000;

    private final UserDataStore data;
    private final TeamUpkeep teams;
    private final HeartbeatQueue queue;
    private final Clock clock;

    public AccountDeletion(UserDataStore data, TeamUpkeep teams, HeartbeatQueue queue, Clock clock) {
        this.data = data;
        this.teams = teams;
        this.queue = queue;
        this.clock = clock;
    }

    /** One part of the deletion of {@code user}, whose settings, open days and tombstone are {@code state}. */
    public int step(String user, SettingsStore.UserState state) {
        // Only a deleted account is deleted: the tombstone is written before the first message is queued.
        if (state.deletedAtMs() == 0) {
            Log.info("account deletion dropped: the account is not marked deleted", "user", user);
            return 0;
        }
        // Teams first, while the memberships and days that lead to the copies are still there.
        if (!state.teams().isEmpty() || state.shared()) {
            teams.accountDeleted(user, state);
        }
        UserDataStore.Deleted d = data.deleteSome(user, ITEMS_PER_MESSAGE);
        if (d.done()) {
            Log.info("account data deleted", "user", user, "items", d.items());
        } else {
            queue.deleteAccount(user, clock.millis());
        }
        return d.items();
    }

    /** One part of the deletion of a team's remaining items (its members' days), queueing the next. */
    public void teamPart(String team) {
        if (!teams.deleteTeamPart(team)) {
            queue.deleteTeam(team, clock.millis());
        } else {
            Log.info("team data deleted", "team", team);
        }
    }
}
