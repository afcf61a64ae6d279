package io.gregor.broker.api.acl;

import io.gregor.broker.api.admin.ControllerErrors;
import io.gregor.metadata.control.ApiError;
import io.gregor.protocol.error.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The items of a CreateAcls or DeleteAcls request decoded one by one: an item whose codes mean
 * nothing is answered with its own error, the others go to the controller together, and the
 * controller's outcomes are put back in the request's order.
 */
final class DecodedItems<T> {
    /** Per item in request order: its decoding error, or null when it went to the controller. */
    private final List<ApiError> undecodable = new ArrayList<>();
    private final List<T> decoded = new ArrayList<>();

    /** @param decoder throws {@link ApiException} for an item it cannot decode */
    static <I, T> DecodedItems<T> decode(List<I> items, Function<I, T> decoder) {
        DecodedItems<T> result = new DecodedItems<>();
        for (I item : items) {
            try {
                result.decoded.add(decoder.apply(item));
                result.undecodable.add(null);
            } catch (ApiException e) {
                result.undecodable.add(ControllerErrors.toApiError(e));
            }
        }
        return result;
    }

    /** The items for the controller, in request order. */
    List<T> decoded() {
        return decoded;
    }

    /**
     * One answer per item of the request, in its order: {@code failed} for an item that could not
     * be decoded or when the controller failed ({@code failure} not null), else {@code answered}
     * with the controller's outcome for it.
     */
    <O, R> List<R> answers(List<O> outcomes, Throwable failure, Function<ApiError, R> failed,
                           Function<O, R> answered) {
        List<R> answers = new ArrayList<>();
        int next = 0;
        for (ApiError error : undecodable) {
            if (error != null) {
                answers.add(failed.apply(error));
            } else if (failure != null) {
                answers.add(failed.apply(ControllerErrors.toApiError(failure)));
            } else {
                answers.add(answered.apply(outcomes.get(next++)));
            }
        }
        return answers;
    }
}
