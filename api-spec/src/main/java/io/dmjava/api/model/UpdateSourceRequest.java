package io.dmjava.api.model;

import io.dmjava.model.source.SourceConfig;

/** {@code PUT /api/v1/sources/{source-name}}: the whole new config; a password of {@code ******} keeps the old one. */
public record UpdateSourceRequest(SourceConfig source) {
}
