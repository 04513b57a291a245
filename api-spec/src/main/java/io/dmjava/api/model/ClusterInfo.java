package io.dmjava.api.model;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The cluster's information (schema {@code ClusterInfo}).
 *
 * @param clusterId the cluster's id
 */
public record ClusterInfo(@JsonProperty("cluster_id") long clusterId) {
}
