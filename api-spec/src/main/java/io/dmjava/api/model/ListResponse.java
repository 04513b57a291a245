package io.dmjava.api.model;

import java.util.List;

/**
 * A list answer: the number of items and the items (schemas {@code GetClusterMasterListResponse},
 * {@code GetClusterWorkerListResponse}, ...).
 *
 * @param total the number of items in {@code data}
 * @param data  the items
 * @param <T>   the item type
 */
public record ListResponse<T>(int total, List<T> data) {

    public ListResponse {
        data = List.copyOf(data);
    }

    /** A response holding all of {@code data}, with {@code total} its size. */
    public static <T> ListResponse<T> of(List<T> data) {
        return new ListResponse<>(data.size(), data);
    }
}
