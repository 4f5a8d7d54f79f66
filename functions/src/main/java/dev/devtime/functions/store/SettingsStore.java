package dev.devtime.functions.store;

import dev.devtime.model.Timing;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Per-user settings, in item {@code U#<user> / SETTINGS}; defaults when the user never changed them. Beside
 * it, item {@code U#<user> / OPEN} lists the user's open days: days that still take heartbeats in real time,
 * whose rollups are computed from the raw buckets when read and stored once the day is settled (see
 * {@code Aggregator}). Also the deletion tombstone {@code U#<user> / REMOVED}, which keeps heartbeats queued
 * before an account was deleted from bringing it back. All three come back from one Query, for the price
 * of one read.
 */
public final class SettingsStore {

    static final String SK = "SETTINGS";
    static final String OPEN_SK = "OPEN";
    /** Sorts between "OPEN" and "SETTINGS", so {@link #load} reads it too; account deletion leaves it. */
    public static final String REMOVED_SK = "REMOVED";
    /** Public sharing (badges, public stats, the instance's leaderboard): written by {@code PublicProfiles}. */
    public static final String PUBLIC_SK = "PUBLIC";

    /** The settings item's attribute holding the user's hash key. */
    static final String HASH_KEY = "hk";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Table table;

    public SettingsStore(Table table) {
        this.table = table;
    }

    /**
     * Everything a user can set.
     *
     * @param timing            time zone, timeout and the settings version rollups are tagged with
     * @param hideFileNames     store file names as hashes (server-side privacy)
     * @param excludedProjects  heartbeats of these projects are not stored
     * @param retentionDays     raw heartbeats are kept this long; 0 keeps them (rollups are always kept)
     * @param hashKey           the user's secret for hiding entities ({@link #hashKey(String)}), or null before
     *                          the first use; never changed by {@link #put}
     */
    public record Settings(
            Timing timing, boolean hideFileNames, List<String> excludedProjects, int retentionDays, byte[] hashKey) {

        public Settings(Timing timing, boolean hideFileNames, List<String> excludedProjects, int retentionDays) {
            this(timing, hideFileNames, excludedProjects, retentionDays, null);
        }

        public static Settings defaults() {
            return new Settings(Timing.defaults(), false, List.of(), 0);
        }
    }

    /**
     * What the pipeline knows of a user from one Query ({@link #load}): settings, open days, deletion, teams
     * and public sharing.
     *
     * @param deletedAtMs  when the account was last deleted, or 0
     * @param returnedAtMs when its user came back after that (a new key, an import), or 0
     * @param teams        the teams the user is a member of
     * @param shared       whether the user shares publicly (the {@code PUBLIC} item exists)
     */
    public record UserState(
            Settings settings,
            SortedSet<LocalDate> openDays,
            long deletedAtMs,
            long returnedAtMs,
            List<String> teams,
            boolean shared) {

        /** Where the user's days are copied for others to see: each team, and (null) the public leaderboard. */
        public List<String> dayTargets() {
            List<String> out = new ArrayList<>(teams);
            if (shared) {
                out.add(null);
            }
            return out;
        }

        public Timing timing() {
            return settings.timing();
        }

        /**
         * Whether a message queued at {@code sentAtMs} may be stored. After a deletion nothing is, whatever its
         * time: a container that looked a key up before the deletion keeps accepting it until its key cache
         * expires, and stamps those heartbeats after the deletion. Once the user comes back, what is queued
         * from then on is stored again.
         */
        public boolean accepts(long sentAtMs) {
            return deletedAtMs == 0 || returnedAtMs > 0 && sentAtMs >= returnedAtMs;
        }
    }

    public Settings get(String userId) {
        GetItemResponse r = table.client()
                .getItem(b -> b.tableName(table.name())
                        .key(Table.userKey(userId, SK))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        if (!r.hasItem() || r.item().isEmpty()) {
            return Settings.defaults();
        }
        return settings(r.item());
    }

    /**
     * Settings, open days, the deletion tombstone, public sharing and team memberships in one Query: the items
     * are neighbours in the user's partition ("OPEN", "PUBLIC", "REMOVED", "SETTINGS" and "TEAM#..." sort after
     * the bucket, day and key items), all small, so this costs what reading settings alone did.
     */
    public UserState load(String userId) {
        Settings settings = Settings.defaults();
        SortedSet<LocalDate> open = new TreeSet<>();
        long deletedAt = 0;
        long returnedAt = 0;
        List<String> teams = new ArrayList<>();
        boolean shared = false;
        // "$" sorts right after "#": the upper bound takes every membership.
        for (Map<String, AttributeValue> i :
                table.between(userId, OPEN_SK, TeamStore.MEMBERSHIP_PREFIX.replace('#', '$'), false)) {
            String sk = i.get(Table.SK).s();
            if (sk.startsWith(TeamStore.MEMBERSHIP_PREFIX)) {
                teams.add(sk.substring(TeamStore.MEMBERSHIP_PREFIX.length()));
            } else if (sk.equals(PUBLIC_SK)) {
                shared = true;
            } else if (sk.equals(SK)) {
                settings = settings(i);
            } else if (sk.equals(OPEN_SK) && i.containsKey("days")) {
                i.get("days").ss().forEach(d -> open.add(LocalDate.parse(d)));
            } else if (sk.equals(REMOVED_SK)) {
                deletedAt = Long.parseLong(i.get("at").n());
                returnedAt =
                        i.containsKey("back") ? Long.parseLong(i.get("back").n()) : 0;
            }
        }
        return new UserState(
                settings, Collections.unmodifiableSortedSet(open), deletedAt, returnedAt, List.copyOf(teams), shared);
    }

    /** Adds days to the open set (a set: adding twice is harmless). */
    public void markOpen(String userId, Collection<LocalDate> days) {
        updateOpen(userId, "ADD", days);
    }

    /** Removes days from the open set once their rollups are stored. */
    public void markSettled(String userId, Collection<LocalDate> days) {
        updateOpen(userId, "DELETE", days);
    }

    private void updateOpen(String userId, String action, Collection<LocalDate> days) {
        if (days.isEmpty()) {
            return;
        }
        List<String> values = days.stream().map(LocalDate::toString).toList();
        table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(Table.userKey(userId, OPEN_SK))
                        .updateExpression(action + " days :d")
                        .expressionAttributeValues(Map.of(":d", AttributeValue.fromSs(values)))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    private static Settings settings(Map<String, AttributeValue> i) {
        List<String> excluded = i.containsKey("excl") && i.get("excl").hasL()
                ? i.get("excl").l().stream().map(AttributeValue::s).toList()
                : List.of();
        return new Settings(
                new Timing(
                        ZoneId.of(i.get("tz").s()),
                        Integer.parseInt(i.get("timeout").n()),
                        Long.parseLong(i.get("sv").n())),
                i.containsKey("hide") && i.get("hide").bool(),
                excluded,
                i.containsKey("ret") ? Integer.parseInt(i.get("ret").n()) : 0,
                i.containsKey(HASH_KEY) ? i.get(HASH_KEY).b().asByteArray() : null);
    }

    /**
     * The user's secret for keyed hashes of hidden entities, created on first use in the settings item (whose
     * deletion with the account makes the stored hashes unlinkable to any path). Concurrent first uses agree:
     * only the first write sticks and every caller gets what is stored.
     *
     * @throws IllegalStateException when the user has no settings item (deleted meanwhile): nothing may be stored
     */
    public byte[] hashKey(String userId) {
        byte[] fresh = new byte[32];
        RANDOM.nextBytes(fresh);
        try {
            UpdateItemResponse r = table.client()
                    .updateItem(b -> b.tableName(table.name())
                            .key(Table.userKey(userId, SK))
                            .updateExpression("SET #k = if_not_exists(#k, :k)")
                            .conditionExpression("attribute_exists(tz)")
                            .expressionAttributeNames(Map.of("#k", HASH_KEY))
                            .expressionAttributeValues(
                                    Map.of(":k", AttributeValue.fromB(SdkBytes.fromByteArray(fresh))))
                            .returnValues(ReturnValue.UPDATED_NEW)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return r.attributes().get(HASH_KEY).b().asByteArray();
        } catch (ConditionalCheckFailedException e) {
            throw new IllegalStateException("user " + userId + " has no settings item to keep a hash key in");
        }
    }

    public Timing timing(String userId) {
        return get(userId).timing();
    }

    /** Writes everything the user sets; an update, not a put, so that the hash key stays as it is. */
    public void put(String userId, Settings s) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("tz", AttributeValue.fromS(s.timing().zone().getId()));
        item.put("timeout", AttributeValue.fromN(Integer.toString(s.timing().timeoutMinutes())));
        item.put("sv", AttributeValue.fromN(Long.toString(s.timing().version())));
        item.put("hide", AttributeValue.fromBool(s.hideFileNames()));
        List<AttributeValue> excl = new ArrayList<>();
        s.excludedProjects().forEach(p -> excl.add(AttributeValue.fromS(p)));
        item.put("excl", AttributeValue.fromL(excl));
        item.put("ret", AttributeValue.fromN(Integer.toString(s.retentionDays())));
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        StringBuilder set = new StringBuilder();
        item.forEach((name, value) -> {
            // Placeholders for every name: some attribute names are DynamoDB reserved words.
            set.append(set.isEmpty() ? "SET " : ", ")
                    .append('#')
                    .append(name)
                    .append(" = :")
                    .append(name);
            names.put("#" + name, name);
            values.put(":" + name, value);
        });
        table.client()
                .updateItem(b -> b.tableName(table.name())
                        .key(Table.userKey(userId, SK))
                        .updateExpression(set.toString())
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    /**
     * Records the deletion in the user's own partition, where {@link #load} finds it; it expires after
     * SQS's longest retention, when no message queued before it can still arrive.
     */
    public void markDeleted(String userId, long nowMs) {
        Map<String, AttributeValue> item = new HashMap<>(Table.userKey(userId, REMOVED_SK));
        item.put("at", AttributeValue.fromN(Long.toString(nowMs)));
        item.put(Table.TTL, AttributeValue.fromN(Long.toString(nowMs / 1000 + 15 * 86_400L)));
        table.client()
                .putItem(
                        b -> b.tableName(table.name()).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    /**
     * Notes that the user of a deleted account is back (created a key or imported), so what is queued from
     * now on is stored again; a user who never deleted the account costs one refused conditional write.
     */
    public void markReturned(String userId, long nowMs) {
        try {
            table.client()
                    .updateItem(b -> b.tableName(table.name())
                            .key(Table.userKey(userId, REMOVED_SK))
                            .updateExpression("SET #back = if_not_exists(#back, :b)")
                            .expressionAttributeNames(Map.of("#back", "back", "#at", "at"))
                            .conditionExpression("attribute_exists(#at)")
                            .expressionAttributeValues(Map.of(":b", AttributeValue.fromN(Long.toString(nowMs))))
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        } catch (ConditionalCheckFailedException e) {
            // No tombstone: never deleted, or long enough ago that it expired.
        }
    }
}
