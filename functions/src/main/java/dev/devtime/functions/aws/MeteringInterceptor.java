package dev.devtime.functions.aws;

import java.util.List;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;

/** Feeds {@link Metering} from every SDK response: one request per call, and DynamoDB's consumed units. */
public final class MeteringInterceptor implements ExecutionInterceptor {

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        Metering.countRequest(service + "." + operation);
        SdkResponse response = context.response();
        response.getValueForField("ConsumedCapacity", Object.class).ifPresent(MeteringInterceptor::record);
    }

    private static void record(Object capacity) {
        if (capacity instanceof ConsumedCapacity c) {
            add(c);
        } else if (capacity instanceof List<?> list) {
            list.forEach(MeteringInterceptor::record);
        }
    }

    private static void add(ConsumedCapacity c) {
        if (c.readCapacityUnits() != null) {
            Metering.addRead(c.readCapacityUnits());
        }
        if (c.writeCapacityUnits() != null) {
            Metering.addWrite(c.writeCapacityUnits());
        }
        if (c.readCapacityUnits() == null && c.writeCapacityUnits() == null && c.capacityUnits() != null) {
            // DynamoDB Local reports only the total for some calls; it is a read unless it says otherwise.
            Metering.addRead(c.capacityUnits());
        }
    }
}
