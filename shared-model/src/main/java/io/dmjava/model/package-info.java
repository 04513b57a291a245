/**
 * The plain-Java model shared by masters and workers: cluster records, stages, the etcd key layout
 * and its JSON codec, and the catalogue of user-facing errors. No Spring, no etcd client here, so both
 * services (and tools) agree on the same shapes without depending on each other.
 */
package io.dmjava.model;
