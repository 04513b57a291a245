/** The JSON bodies of the REST API, one record per schema of {@code openapi/dm.yaml}. */
package io.dmjava.api.model;
