package dev.devtime.local.measure;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * AWS list prices applied to what a workload used. Every figure comes from the benchmark's meters (requests
 * counted by the SDK interceptor, DynamoDB's consumed capacity, handler durations timed around the real
 * handlers, bytes stored); this class only multiplies.
 */
final class CostModel {

    /** Lambda memory as the CDK app deploys it (DeployConfig's memoryMb default). */
    static final int DEPLOYED_MEMORY_MB = 1024;
    /** AWS prices a month as 730 hours. */
    static final double HOURS_PER_MONTH = 730;

    private CostModel() {}

    /** US dollars; "per million" prices as AWS lists them. */
    record Prices(
            double apiPerMillionRequests,
            double lambdaPerGbSecond,
            double lambdaPerMillionRequests,
            double sqsPerMillionRequests,
            double dynamoPerMillionWriteUnits,
            double dynamoPerMillionReadUnits,
            double dynamoStoragePerGbMonth) {

        /** us-east-1 list prices: HTTP API, Lambda arm64, SQS standard, DynamoDB on-demand. */
        static final Prices US_EAST_1 = new Prices(1.00, 0.0000133334, 0.20, 0.40, 0.625, 0.125, 0.25);
    }

    /**
     * What a workload used.
     *
     * @param lambdaBilledMs  the sum over invocations of each one's duration rounded up to 1 ms
     * @param sqsRequests     billed SQS requests, each 64 KB chunk of a payload counted as one
     * @param storageGbMonths gigabytes (2^30 bytes, as DynamoDB bills) held for a month
     */
    record Usage(
            double apiRequests,
            double lambdaInvocations,
            double lambdaBilledMs,
            double sqsRequests,
            double writeUnits,
            double readUnits,
            double storageGbMonths) {

        Usage times(double f) {
            return new Usage(
                    apiRequests * f,
                    lambdaInvocations * f,
                    lambdaBilledMs * f,
                    sqsRequests * f,
                    writeUnits * f,
                    readUnits * f,
                    storageGbMonths * f);
        }

        Usage plus(Usage o) {
            return new Usage(
                    apiRequests + o.apiRequests,
                    lambdaInvocations + o.lambdaInvocations,
                    lambdaBilledMs + o.lambdaBilledMs,
                    sqsRequests + o.sqsRequests,
                    writeUnits + o.writeUnits,
                    readUnits + o.readUnits,
                    storageGbMonths + o.storageGbMonths);
        }
    }

    /** Dollars per line item. */
    record Bill(
            double apiGateway,
            double lambdaRequests,
            double lambdaDuration,
            double sqs,
            double dynamoWrites,
            double dynamoReads,
            double dynamoStorage) {

        double total() {
            return apiGateway + lambdaRequests + lambdaDuration + sqs + dynamoWrites + dynamoReads + dynamoStorage;
        }

        Bill times(double f) {
            return new Bill(
                    apiGateway * f,
                    lambdaRequests * f,
                    lambdaDuration * f,
                    sqs * f,
                    dynamoWrites * f,
                    dynamoReads * f,
                    dynamoStorage * f);
        }

        ObjectNode toJson() {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            o.put("api_gateway", round(apiGateway));
            o.put("lambda_requests", round(lambdaRequests));
            o.put("lambda_duration", round(lambdaDuration));
            o.put("sqs", round(sqs));
            o.put("dynamodb_writes", round(dynamoWrites));
            o.put("dynamodb_reads", round(dynamoReads));
            o.put("dynamodb_storage", round(dynamoStorage));
            o.put("total", round(total()));
            return o;
        }
    }

    static Bill price(Usage u, Prices p, int memoryMb) {
        double gbSeconds = u.lambdaBilledMs() / 1000.0 * memoryMb / 1024.0;
        return new Bill(
                u.apiRequests() / 1e6 * p.apiPerMillionRequests(),
                u.lambdaInvocations() / 1e6 * p.lambdaPerMillionRequests(),
                gbSeconds * p.lambdaPerGbSecond(),
                u.sqsRequests() / 1e6 * p.sqsPerMillionRequests(),
                u.writeUnits() / 1e6 * p.dynamoPerMillionWriteUnits(),
                u.readUnits() / 1e6 * p.dynamoPerMillionReadUnits(),
                u.storageGbMonths() * p.dynamoStoragePerGbMonth());
    }

    /**
     * ReceiveMessage calls a month that Lambda's SQS pollers make on an empty queue: each poller long-polls,
     * and a long poll ends after at most {@code waitSeconds} (SQS's maximum is 20).
     */
    static double idleReceivesPerMonth(int pollers, int waitSeconds) {
        return pollers * Math.ceil(HOURS_PER_MONTH * 3600 / waitSeconds);
    }

    static double gigabytes(double bytes) {
        return bytes / (1024.0 * 1024 * 1024);
    }

    /**
     * What a million heartbeats and an active developer's month cost, from one simulated day of a team.
     *
     * @param day              what the day used (storage left at 0: it is priced from {@code storedBytes})
     * @param heartbeats       heartbeats the day stored
     * @param storedBytes      bytes the day left in the table, as storage is billed
     * @param devs             developers in the day
     * @param workDaysPerMonth active days a month
     * @param monthsKept       months of data a developer's table holds in steady state
     */
    static Figures figures(
            Usage day,
            long heartbeats,
            long storedBytes,
            int devs,
            int workDaysPerMonth,
            int monthsKept,
            Prices p,
            int memoryMb) {
        Usage perHeartbeat = day.times(1.0 / heartbeats);
        // A million heartbeats: their requests and units, and their bytes kept for one month.
        Usage million = perHeartbeat.times(1e6).plus(storageOnly(gigabytes(storedBytes * 1e6 / heartbeats)));
        double perDevMonth = (double) heartbeats / devs * workDaysPerMonth;
        // A developer's month: its traffic, and the storage of every month kept (they pile up until retention).
        Usage month = perHeartbeat
                .times(perDevMonth)
                .plus(storageOnly(gigabytes((double) storedBytes / devs * workDaysPerMonth * monthsKept)));
        return new Figures(price(million, p, memoryMb), price(month, p, memoryMb), perDevMonth);
    }

    private static Usage storageOnly(double gbMonths) {
        return new Usage(0, 0, 0, 0, 0, 0, gbMonths);
    }

    record Figures(Bill perMillionHeartbeats, Bill perDevMonth, double heartbeatsPerDevMonth) {}

    /** Dollar figures keep eight significant decimals: a heartbeat costs around a millionth of a dollar. */
    static double round(double usd) {
        return Math.round(usd * 1e8) / 1e8;
    }
}
