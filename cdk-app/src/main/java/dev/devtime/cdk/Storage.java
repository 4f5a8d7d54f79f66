package dev.devtime.cdk;

import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Billing;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.TableEncryptionV2;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.constructs.Construct;

/** The one DynamoDB table that holds every user's data (docs/design.md describes its items). */
final class Storage extends Construct {

    private final TableV2 table;

    Storage(Construct scope, String id, DeployConfig config) {
        super(scope, id);
        table = TableV2.Builder.create(this, "Table")
                .partitionKey(Attribute.builder()
                        .name("pk")
                        .type(AttributeType.STRING)
                        .build())
                .sortKey(Attribute.builder()
                        .name("sk")
                        .type(AttributeType.STRING)
                        .build())
                .billing(Billing.onDemand())
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true)
                        .build())
                .timeToLiveAttribute("ttl")
                // AWS-owned key: encrypted at rest without the monthly fee of a customer-managed key.
                .encryption(TableEncryptionV2.dynamoOwnedKey())
                .removalPolicy(config.dataRemoval())
                .build();
    }

    TableV2 table() {
        return table;
    }
}
