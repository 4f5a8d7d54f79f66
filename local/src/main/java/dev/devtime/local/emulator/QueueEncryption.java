package dev.devtime.local.emulator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.devtime.functions.Log;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageResponse;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageRequest;

/**
 * Queued heartbeats encrypted at rest, so an account's deletion leaves nothing of it readable in the queue's
 * file: the database keeps deleted rows there until a clean stop compacts it, and a crash skips that. On the
 * local stack's SQS clients (the functions are unchanged), each message of a user is sealed with AES-GCM under
 * that user's key ({@link QueueKeys}) before it reaches ElasticMQ, and opened when it is received, with the MD5
 * SQS reports for it recomputed. When the account function queues an account's deletion, the user's key is
 * destroyed first; a message under a destroyed key, one of a deleted account, is deleted from its queue when it
 * comes up (never left to reach the dead-letter queue) and logged without content. Deletion messages stay as
 * they are: they name only the user and must be read after the key is gone. Bodies that are not a user's
 * message pass as they are, so the aggregator refuses them as before.
 */
public final class QueueEncryption implements ExecutionInterceptor {

    static final String PREFIX = "devtime-sealed-1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final JsonFactory JSON = new JsonFactory();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final QueueKeys keys;
    private final Supplier<SqsClient> remover;
    private final boolean destroysOnDeletion;

    /**
     * @param remover            deletes messages of deleted accounts (a client whose calls no function makes)
     * @param destroysOnDeletion on the account function's clients: a deletion it queues destroys the user's key;
     *                           the aggregator's next parts of a deletion do not, as the user may be back by then
     */
    public QueueEncryption(QueueKeys keys, Supplier<SqsClient> remover, boolean destroysOnDeletion) {
        this.keys = keys;
        this.remover = remover;
        this.destroysOnDeletion = destroysOnDeletion;
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        if (context.request() instanceof SendMessageRequest r) {
            return r.toBuilder().messageBody(seal(r.messageBody())).build();
        }
        if (context.request() instanceof SendMessageBatchRequest r) {
            return r.toBuilder()
                    .entries(r.entries().stream()
                            .map(e -> e.toBuilder()
                                    .messageBody(seal(e.messageBody()))
                                    .build())
                            .toList())
                    .build();
        }
        return context.request();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        if (!(context.response() instanceof ReceiveMessageResponse r)
                || !(context.request() instanceof ReceiveMessageRequest q)
                || r.messages().stream()
                        .noneMatch(m -> m.body() != null && m.body().startsWith(PREFIX))) {
            return context.response();
        }
        List<Message> out = new ArrayList<>();
        for (Message m : r.messages()) {
            Message opened = open(m, q.queueUrl());
            if (opened != null) {
                out.add(opened);
            }
        }
        return r.toBuilder().messages(out).build();
    }

    String seal(String body) {
        if (body == null || body.startsWith(PREFIX)) {
            return body;
        }
        Owner owner = owner(body);
        if (owner == null) {
            return body;
        }
        QueueKeys.Key k;
        try {
            if (owner.deletion()) {
                if (destroysOnDeletion) {
                    keys.destroy(owner.user());
                }
                return body;
            }
            k = keys.forUser(owner.user());
        } catch (java.io.UncheckedIOException e) {
            // As if SQS were unavailable: the function answers 503 and the client sends again.
            throw SdkClientException.create("cannot store the queue's keys", e);
        }
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, k.key(), new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(k.id().getBytes(StandardCharsets.US_ASCII));
            byte[] sealed = c.doFinal(body.getBytes(StandardCharsets.UTF_8));
            byte[] all = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, all, 0, iv.length);
            System.arraycopy(sealed, 0, all, iv.length, sealed.length);
            return PREFIX + k.id() + ":" + Base64.getEncoder().encodeToString(all);
        } catch (GeneralSecurityException e) {
            throw SdkClientException.create("cannot encrypt a queue message", e);
        }
    }

    /** The message with its body opened, or null when it belonged to a deleted account (and is deleted). */
    private Message open(Message m, String queueUrl) {
        String body = m.body();
        if (body == null || !body.startsWith(PREFIX)) {
            return m;
        }
        int colon = body.indexOf(':', PREFIX.length());
        String id = colon < 0 ? "" : body.substring(PREFIX.length(), colon);
        QueueKeys.Key k = keys.byId(id);
        if (k == null) {
            if (keys.destroyed(id)) {
                forget(m, queueUrl);
                return null;
            }
            // Not a key this data directory ever held (its key file replaced?): kept, so nothing is lost unasked.
            Log.warn(
                    "queued message under an unknown key left in the queue",
                    "queue",
                    queueName(queueUrl),
                    "messageId",
                    m.messageId());
            return m;
        }
        try {
            byte[] all = Base64.getDecoder().decode(body.substring(colon + 1));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, k.key(), new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            c.updateAAD(id.getBytes(StandardCharsets.US_ASCII));
            String plain = new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
            return m.toBuilder().body(plain).md5OfBody(md5(plain)).build();
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            Log.warn(
                    "queued message that does not decrypt left in the queue",
                    "queue",
                    queueName(queueUrl),
                    "messageId",
                    m.messageId());
            return m;
        }
    }

    private void forget(Message m, String queueUrl) {
        try {
            remover.get().deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(m.receiptHandle()));
            Log.info(
                    "queued message of a deleted account deleted unread",
                    "queue",
                    queueName(queueUrl),
                    "messageId",
                    m.messageId());
        } catch (RuntimeException e) {
            // It comes up again after its visibility timeout (or in the dead-letter queue), still unreadable.
            Log.warn(
                    "could not delete a queued message of a deleted account",
                    "queue",
                    queueName(queueUrl),
                    "messageId",
                    m.messageId(),
                    "error",
                    e.toString());
        }
    }

    /** Whose message a body is, and whether it is an account's deletion; null for anything else. */
    record Owner(String user, boolean deletion) {}

    /** The top-level {@code u} and {@code k} members, read as the aggregator's decoding reads them. */
    static Owner owner(String body) {
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            String user = null;
            String kind = null;
            for (String f = p.nextFieldName(); f != null; f = p.nextFieldName()) {
                JsonToken v = p.nextToken();
                if (f.equals("u")) {
                    user = v == JsonToken.VALUE_STRING ? p.getText() : null;
                } else if (f.equals("k")) {
                    kind = v == JsonToken.VALUE_STRING ? p.getText() : "";
                } else {
                    p.skipChildren();
                }
            }
            return user == null ? null : new Owner(user, "delete".equals(kind));
        } catch (IOException e) {
            return null;
        }
    }

    private static String md5(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String queueName(String url) {
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
