package dev.devtime.functions.store;

import dev.devtime.model.team.MemberDay;
import dev.devtime.model.team.ShareLevel;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.Update;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Teams, their members, invites and the members' days as the team may see them.
 *
 * <ul>
 *   <li>{@code T#<team> / META}: name, owner, created, member count {@code n};</li>
 *   <li>{@code T#<team> / M#<user>}: role, share level, whether goals are shared, display name, joined;</li>
 *   <li>{@code T#<team> / D#<date>#<user>}: the member's {@link MemberDay} ({@code r}, gzip'd JSON) and the version
 *       of the rollup it came from ({@code v}); one small item per member and day, so the aggregator's write costs
 *       a write unit whatever the team's size, and a view reads a range with one Query;</li>
 *   <li>{@code U#<user> / TEAM#<team>}: the membership as seen from the user's partition, where the
 *       aggregator finds it (in the Query it makes for the settings anyway) and account deletion follows it;</li>
 *   <li>{@code INVITE#<sha256 of the code> / INVITE}: team, expiry, when used; DynamoDB's TTL removes it a day
 *       after it expires;</li>
 *   <li>{@code LEADERS / D#<date>#<user>}: the days of users who share publicly, for the instance's
 *       leaderboard; kept 10 days (TTL).</li>
 * </ul>
 */
public final class TeamStore {

    public static final String META = "META";
    public static final String LEADERS_PK = "LEADERS";
    /** The sort key prefix of memberships in the user's partition. */
    public static final String MEMBERSHIP_PREFIX = "TEAM#";

    static final int MAX_ATTEMPTS = 8;
    /** Leaderboard days are kept this long after their date: the board covers 7 days in any time zone. */
    static final long LEADER_DAYS_KEPT = 10;

    /** Decoded member days kept per container: enough for a 30-day view of the largest team, twice. */
    static final int DECODED_KEPT = 2 * 31 * 200;

    private final Table table;
    /**
     * Member days already decoded, by date and stored bytes: the same bytes always decode to the same day, so a
     * team view gunzips and parses only the days written since the last view (most of a week's are settled).
     */
    private final Map<Encoded, MemberDay> decoded = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Encoded, MemberDay> eldest) {
            return size() > DECODED_KEPT;
        }
    };

    private record Encoded(String date, SdkBytes bytes) {}

    public TeamStore(Table table) {
        this.table = table;
    }

    public enum Role {
        OWNER,
        ADMIN,
        MEMBER;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Team(String id, String name, String owner, long createdMs, int memberCount) {}

    public record Member(
            String user, Role role, ShareLevel share, boolean shareGoals, String displayName, long joinedMs) {

        /** What the team calls the member: the name they set, or their user id. */
        public String name() {
            return displayName == null || displayName.isEmpty() ? user : displayName;
        }
    }

    /** The team and its members, read in one Query; null when there is no such team. */
    public record Roster(Team team, List<Member> members) {

        public Member member(String user) {
            return members.stream()
                    .filter(m -> m.user().equals(user))
                    .findFirst()
                    .orElse(null);
        }
    }

    public static String teamPk(String team) {
        return "T#" + team;
    }

    /** The partition a member's days go to: a team's, or the instance's leaderboard. */
    public static String rowsPk(String team) {
        return team == null ? LEADERS_PK : teamPk(team);
    }

    private static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(Table.PK, s(pk), Table.SK, s(sk));
    }

    // ---- teams and members ----

    /** Creates the team with its owner as the only member. */
    public void create(Team team, Member owner) {
        Map<String, AttributeValue> meta = new HashMap<>(key(teamPk(team.id()), META));
        meta.put("name", s(team.name()));
        meta.put("owner", s(owner.user()));
        meta.put("created", n(team.createdMs()));
        meta.put("n", n(1));
        transact(List.of(
                put(meta, "attribute_not_exists(pk)"),
                put(memberItem(team.id(), owner), null),
                put(membershipItem(owner.user(), team.id(), owner.joinedMs()), null)));
    }

    public Roster roster(String team) {
        return roster(team, false);
    }

    /** META and every M# item: "M#..." sorts just before "META". */
    public Roster roster(String team, boolean consistent) {
        Team t = null;
        List<Member> members = new ArrayList<>();
        for (Map<String, AttributeValue> i : query(teamPk(team), "M#", META, consistent)) {
            String sk = i.get(Table.SK).s();
            if (sk.equals(META)) {
                t = new Team(team, i.get("name").s(), i.get("owner").s(), num(i, "created"), (int) num(i, "n"));
            } else {
                members.add(member(sk.substring(2), i));
            }
        }
        if (t == null) {
            return null;
        }
        members.sort((a, b) -> a.joinedMs() != b.joinedMs()
                ? Long.compare(a.joinedMs(), b.joinedMs())
                : a.user().compareTo(b.user()));
        return new Roster(t, members);
    }

    public Member member(String team, String user) {
        GetItemResponse r = table.client()
                .getItem(b -> b.tableName(table.name())
                        .key(key(teamPk(team), "M#" + user))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        return r.hasItem() && !r.item().isEmpty() ? member(user, r.item()) : null;
    }

    /** The ids of the user's teams, from the memberships in their partition. */
    public List<String> teamsOf(String user) {
        List<String> out = new ArrayList<>();
        table.client()
                .queryPaginator(QueryRequest.builder()
                        .tableName(table.name())
                        .keyConditionExpression("pk = :pk AND begins_with(sk, :p)")
                        .expressionAttributeValues(Map.of(":pk", s(Table.userPk(user)), ":p", s(MEMBERSHIP_PREFIX)))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .build())
                .items()
                .forEach(i -> out.add(i.get(Table.SK).s().substring(MEMBERSHIP_PREFIX.length())));
        return out;
    }

    /** False when the team is gone. */
    public boolean rename(String team, String name) {
        return update(key(teamPk(team), META), "SET #name = :v", Map.of("#name", "name"), Map.of(":v", s(name)));
    }

    /** False when the user is not a member. */
    public boolean setRole(String team, String user, Role role) {
        return update(
                key(teamPk(team), "M#" + user),
                "SET #role = :v",
                Map.of("#role", "role"),
                Map.of(":v", s(role.wire())));
    }

    /** False when the user is not a member. {@code displayName} null keeps the one set; "" clears it. */
    public boolean setSharing(String team, String user, ShareLevel share, boolean goals, String displayName) {
        Map<String, String> names = new HashMap<>(Map.of("#share", "share", "#goals", "goals"));
        Map<String, AttributeValue> values =
                new HashMap<>(Map.of(":s", s(share.wire()), ":g", AttributeValue.fromBool(goals)));
        String expr = "SET #share = :s, #goals = :g";
        if (displayName != null) {
            names.put("#dn", "dn");
            values.put(":dn", s(displayName));
            expr += ", #dn = :dn";
        }
        return update(key(teamPk(team), "M#" + user), expr, names, values);
    }

    /** Why a join was refused. */
    public enum JoinRefusal {
        INVITE_SPENT,
        ALREADY_MEMBER,
        TEAM_GONE_OR_FULL
    }

    public static final class JoinRefused extends RuntimeException {
        public final JoinRefusal reason;

        JoinRefused(JoinRefusal reason) {
            super(reason.name());
            this.reason = reason;
        }
    }

    /**
     * Spends the invite and adds the member, all or nothing: an invite is used once even by two joins at once.
     *
     * @throws JoinRefused when the invite is used or expired, the user is a member, or the team is gone or full
     */
    public void join(String inviteHash, String team, Member member, long nowMs, int maxMembers) {
        CancellationReason[] reasons = transact(List.of(
                TransactWriteItem.builder()
                        .update(Update.builder()
                                .tableName(table.name())
                                .key(inviteKey(inviteHash))
                                .updateExpression("SET used = :now, usedBy = :u")
                                .conditionExpression("attribute_not_exists(used) AND exp > :now AND team = :t")
                                .expressionAttributeValues(
                                        Map.of(":now", n(nowMs), ":u", s(member.user()), ":t", s(team)))
                                .build())
                        .build(),
                put(memberItem(team, member), "attribute_not_exists(pk)"),
                put(membershipItem(member.user(), team, member.joinedMs()), null),
                TransactWriteItem.builder()
                        .update(Update.builder()
                                .tableName(table.name())
                                .key(key(teamPk(team), META))
                                .updateExpression("ADD n :one")
                                .conditionExpression("attribute_exists(pk) AND n < :max")
                                .expressionAttributeValues(Map.of(":one", n(1), ":max", n(maxMembers)))
                                .build())
                        .build()));
        if (reasons != null) {
            if (failed(reasons, 1)) {
                throw new JoinRefused(JoinRefusal.ALREADY_MEMBER);
            }
            if (failed(reasons, 0)) {
                throw new JoinRefused(JoinRefusal.INVITE_SPENT);
            }
            throw new JoinRefused(JoinRefusal.TEAM_GONE_OR_FULL);
        }
    }

    /** Removes the member (and the membership in their partition); false when they were not a member. */
    public boolean remove(String team, String user) {
        CancellationReason[] reasons = transact(List.of(
                TransactWriteItem.builder()
                        .delete(Delete.builder()
                                .tableName(table.name())
                                .key(key(teamPk(team), "M#" + user))
                                .conditionExpression("attribute_exists(pk)")
                                .build())
                        .build(),
                TransactWriteItem.builder()
                        .delete(Delete.builder()
                                .tableName(table.name())
                                .key(Table.userKey(user, MEMBERSHIP_PREFIX + team))
                                .build())
                        .build(),
                TransactWriteItem.builder()
                        .update(Update.builder()
                                .tableName(table.name())
                                .key(key(teamPk(team), META))
                                .updateExpression("ADD n :m")
                                .conditionExpression("attribute_exists(pk)")
                                .expressionAttributeValues(Map.of(":m", n(-1)))
                                .build())
                        .build()));
        return reasons == null;
    }

    /** Makes {@code to} the owner and {@code from} an admin; false when either is no longer what it was. */
    public boolean transfer(String team, String from, String to) {
        CancellationReason[] reasons = transact(List.of(
                TransactWriteItem.builder()
                        .update(Update.builder()
                                .tableName(table.name())
                                .key(key(teamPk(team), META))
                                .updateExpression("SET #owner = :to")
                                .conditionExpression("#owner = :from")
                                .expressionAttributeNames(Map.of("#owner", "owner"))
                                .expressionAttributeValues(Map.of(":to", s(to), ":from", s(from)))
                                .build())
                        .build(),
                roleUpdate(team, from, Role.ADMIN),
                roleUpdate(team, to, Role.OWNER)));
        return reasons == null;
    }

    private TransactWriteItem roleUpdate(String team, String user, Role role) {
        return TransactWriteItem.builder()
                .update(Update.builder()
                        .tableName(table.name())
                        .key(key(teamPk(team), "M#" + user))
                        .updateExpression("SET #role = :r")
                        .conditionExpression("attribute_exists(pk)")
                        .expressionAttributeNames(Map.of("#role", "role"))
                        .expressionAttributeValues(Map.of(":r", s(role.wire())))
                        .build())
                .build();
    }

    /** Deletes the team's META, members and their memberships: the team is gone for everyone at once. */
    public void deleteTeam(String team, List<Member> members) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        keys.add(key(teamPk(team), META));
        for (Member m : members) {
            keys.add(key(teamPk(team), "M#" + m.user()));
            keys.add(Table.userKey(m.user(), MEMBERSHIP_PREFIX + team));
        }
        deleteAll(keys);
    }

    /**
     * Deletes up to {@code max} of the team's remaining items (its members' days after the team itself is gone);
     * true when none are left.
     */
    public boolean deleteSomeOfTeam(String team, int max) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        boolean done = true;
        for (Map<String, AttributeValue> i : table.client()
                .queryPaginator(QueryRequest.builder()
                        .tableName(table.name())
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(Map.of(":pk", s(teamPk(team))))
                        .projectionExpression("pk, sk")
                        .consistentRead(true)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .build())
                .items()) {
            if (keys.size() == max) {
                done = false;
                break;
            }
            keys.add(key(teamPk(team), i.get(Table.SK).s()));
        }
        deleteAll(keys);
        return done;
    }

    // ---- invites ----

    public record Invite(String team, long expiresMs, long usedMs) {}

    public void putInvite(String hash, String team, String createdBy, long nowMs, long expiresMs) {
        Map<String, AttributeValue> item = new HashMap<>(inviteKey(hash));
        item.put("team", s(team));
        item.put("by", s(createdBy));
        item.put("created", n(nowMs));
        item.put("exp", n(expiresMs));
        item.put(Table.TTL, n(expiresMs / 1000 + 86_400));
        table.client()
                .putItem(b -> b.tableName(table.name())
                        .item(item)
                        .conditionExpression("attribute_not_exists(pk)")
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
    }

    public Invite invite(String hash) {
        GetItemResponse r = table.client()
                .getItem(b -> b.tableName(table.name())
                        .key(inviteKey(hash))
                        .consistentRead(true)
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        if (!r.hasItem() || r.item().isEmpty()) {
            return null;
        }
        return new Invite(
                r.item().get("team").s(),
                num(r.item(), "exp"),
                r.item().containsKey("used") ? num(r.item(), "used") : 0);
    }

    private static Map<String, AttributeValue> inviteKey(String hash) {
        return key("INVITE#" + hash, "INVITE");
    }

    // ---- member days ----

    static String rowSk(LocalDate date, String user) {
        return "D#" + date + "#" + user;
    }

    /**
     * Stores a member's day in a team (or, {@code team} null, the instance's leaderboard) unless a row from a
     * fresher rollup is there: rollups of one day may be written by concurrent runs in any order. A plain
     * write of one small item: no read, and no other member's row is touched.
     *
     * @return false when a fresher row was there
     */
    public boolean putRow(String team, String user, MemberDay day, long version) {
        Map<String, AttributeValue> item = rowItem(team, user, day, version);
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":v", item.get("v"), ":r", item.get("r")));
        String expr = "SET v = :v, r = :r";
        if (item.containsKey(Table.TTL)) {
            values.put(":ttl", item.get(Table.TTL));
            expr += ", #ttl = :ttl";
        }
        String update = expr;
        try {
            table.client()
                    .updateItem(b -> b.tableName(table.name())
                            .key(key(rowsPk(team), rowSk(day.date(), user)))
                            .updateExpression(update)
                            .conditionExpression("attribute_not_exists(v) OR v < :v")
                            .expressionAttributeNames(team == null ? Map.of("#ttl", Table.TTL) : null)
                            .expressionAttributeValues(values)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /**
     * The item of a member's day: {@code r} the gzip'd {@link MemberDay} (about half the size of its JSON, and a
     * team view reads hundreds of them), {@code v} the version; on the leaderboard a TTL.
     */
    public static Map<String, AttributeValue> rowItem(String team, String user, MemberDay day, long version) {
        Map<String, AttributeValue> item = new HashMap<>(key(rowsPk(team), rowSk(day.date(), user)));
        item.put("v", n(version));
        item.put(
                "r",
                AttributeValue.fromB(
                        SdkBytes.fromByteArray(Gzip.compress(day.encode().getBytes(StandardCharsets.UTF_8)))));
        if (team == null) {
            item.put(Table.TTL, n(day.date().plusDays(LEADER_DAYS_KEPT).toEpochDay() * 86_400));
        }
        return ItemSizes.check(item);
    }

    /** Every stored member day of the team (or the leaderboard, {@code team} null) in [from, to], by user. */
    public Map<String, List<MemberDay>> rows(String team, LocalDate from, LocalDate to) {
        Map<String, List<MemberDay>> out = new LinkedHashMap<>();
        // "$" sorts right after "#": the upper bound takes every user of the last day.
        for (Map<String, AttributeValue> i : query(rowsPk(team), "D#" + from + "#", "D#" + to + "$", false)) {
            String sk = i.get(Table.SK).s();
            out.computeIfAbsent(sk.substring(13), k -> new ArrayList<>()).add(decoded(i, sk));
        }
        return out;
    }

    private MemberDay decoded(Map<String, AttributeValue> item, String sk) {
        SdkBytes bytes = item.get("r").b();
        Encoded key = new Encoded(sk.substring(2, 12), bytes);
        MemberDay day;
        synchronized (decoded) {
            day = decoded.get(key);
        }
        if (day == null) {
            day = MemberDay.decode(
                    LocalDate.parse(key.date()),
                    new String(Gzip.decompress(bytes.asByteArray()), StandardCharsets.UTF_8));
            synchronized (decoded) {
                decoded.put(key, day);
            }
        }
        return day;
    }

    /** Deletes a member's rows of the given days (leaving, deletion, opting out of the public board). */
    public void deleteRows(String team, String user, List<LocalDate> days) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        days.forEach(d -> keys.add(key(rowsPk(team), rowSk(d, user))));
        deleteAll(keys);
    }

    // ---- plumbing ----

    private static Map<String, AttributeValue> memberItem(String team, Member m) {
        Map<String, AttributeValue> i = new HashMap<>(key(teamPk(team), "M#" + m.user()));
        i.put("role", s(m.role().wire()));
        i.put("share", s(m.share().wire()));
        i.put("goals", AttributeValue.fromBool(m.shareGoals()));
        if (m.displayName() != null) {
            i.put("dn", s(m.displayName()));
        }
        i.put("joined", n(m.joinedMs()));
        return i;
    }

    private static Map<String, AttributeValue> membershipItem(String user, String team, long joinedMs) {
        Map<String, AttributeValue> i = new HashMap<>(Table.userKey(user, MEMBERSHIP_PREFIX + team));
        i.put("joined", n(joinedMs));
        return i;
    }

    private static Member member(String user, Map<String, AttributeValue> i) {
        return new Member(
                user,
                Role.valueOf(i.get("role").s().toUpperCase(java.util.Locale.ROOT)),
                ShareLevel.parse(i.get("share").s()),
                i.containsKey("goals") && i.get("goals").bool(),
                i.containsKey("dn") ? i.get("dn").s() : null,
                num(i, "joined"));
    }

    private List<Map<String, AttributeValue>> query(String pk, String fromSk, String toSk, boolean consistent) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        table.client()
                .queryPaginator(QueryRequest.builder()
                        .tableName(table.name())
                        .consistentRead(consistent)
                        .keyConditionExpression("pk = :pk AND sk BETWEEN :a AND :b")
                        .expressionAttributeValues(Map.of(":pk", s(pk), ":a", s(fromSk), ":b", s(toSk)))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
                        .build())
                .items()
                .forEach(out::add);
        return out;
    }

    private boolean update(
            Map<String, AttributeValue> key,
            String expr,
            Map<String, String> names,
            Map<String, AttributeValue> values) {
        try {
            table.client()
                    .updateItem(b -> b.tableName(table.name())
                            .key(key)
                            .updateExpression(expr)
                            .conditionExpression("attribute_exists(pk)")
                            .expressionAttributeNames(names)
                            .expressionAttributeValues(values)
                            .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    private TransactWriteItem put(Map<String, AttributeValue> item, String condition) {
        return TransactWriteItem.builder()
                .put(Put.builder()
                        .tableName(table.name())
                        .item(ItemSizes.check(item))
                        .conditionExpression(condition)
                        .build())
                .build();
    }

    /** Null when the transaction went through; the cancellation reasons when a condition failed. */
    private CancellationReason[] transact(List<TransactWriteItem> writes) {
        for (int attempt = 0; ; attempt++) {
            try {
                table.client()
                        .transactWriteItems(
                                b -> b.transactItems(writes).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                return null;
            } catch (TransactionCanceledException e) {
                boolean failedCheck =
                        e.cancellationReasons().stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
                if (failedCheck) {
                    return e.cancellationReasons().toArray(new CancellationReason[0]);
                }
                if (attempt >= MAX_ATTEMPTS) {
                    throw e;
                }
                sleep(ThreadLocalRandom.current().nextLong(5, 20L << attempt));
            }
        }
    }

    private static boolean failed(CancellationReason[] reasons, int index) {
        return reasons.length > index && "ConditionalCheckFailed".equals(reasons[index].code());
    }

    private void deleteAll(List<Map<String, AttributeValue>> keys) {
        for (int i = 0; i < keys.size(); i += 25) {
            List<WriteRequest> batch = new ArrayList<>();
            for (Map<String, AttributeValue> k : keys.subList(i, Math.min(i + 25, keys.size()))) {
                batch.add(WriteRequest.builder()
                        .deleteRequest(DeleteRequest.builder().key(k).build())
                        .build());
            }
            Map<String, List<WriteRequest>> pending = Map.of(table.name(), batch);
            for (int attempt = 0; !pending.getOrDefault(table.name(), List.of()).isEmpty(); attempt++) {
                if (attempt > 10) {
                    throw new IllegalStateException("DynamoDB kept refusing deletes");
                }
                if (attempt > 0) {
                    sleep(Math.min(1000, 50L << attempt));
                }
                Map<String, List<WriteRequest>> p = pending;
                BatchWriteItemResponse r = table.client()
                        .batchWriteItem(b -> b.requestItems(p).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
                pending = r.hasUnprocessedItems() ? r.unprocessedItems() : Map.of();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static AttributeValue s(String v) {
        return AttributeValue.fromS(v);
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }

    private static long num(Map<String, AttributeValue> i, String name) {
        return Long.parseLong(i.get(name).n());
    }
}
