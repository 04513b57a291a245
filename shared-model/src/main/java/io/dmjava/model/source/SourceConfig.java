package io.dmjava.model.source;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One upstream MySQL/MariaDB instance, with DM's field names ({@code POST /api/v1/sources}). Stored in
 * etcd under {@code /dm/source/config/{source_name}} with the password encrypted; answered by the API
 * with the password masked.
 *
 * @param flavor {@code mysql} or {@code mariadb}; detected from the server when empty
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SourceConfig(
        @JsonProperty("source_name") String sourceName,
        String host,
        Integer port,
        String user,
        String password,
        @JsonProperty("enable_gtid") Boolean enableGtid,
        Boolean enable,
        String flavor,
        Security security,
        Purge purge,
        @JsonProperty("relay_config") RelayConfig relayConfig) {

    public static final String MASKED_PASSWORD = "******";

    public SourceConfig withPassword(String newPassword) {
        return new SourceConfig(sourceName, host, port, user, newPassword, enableGtid, enable, flavor, security, purge, relayConfig);
    }

    public SourceConfig withFlavor(String newFlavor) {
        return new SourceConfig(sourceName, host, port, user, password, enableGtid, enable, newFlavor, security, purge, relayConfig);
    }

    public SourceConfig withEnable(boolean enabled) {
        return new SourceConfig(sourceName, host, port, user, password, enableGtid, enabled, flavor, security, purge, relayConfig);
    }

    /** DM's defaults for omitted optional fields (enable_gtid false, enable true, purge 3600/0/15). */
    public SourceConfig withDefaults() {
        return new SourceConfig(sourceName, host, port == null ? 3306 : port, user, password == null ? "" : password,
                enableGtid != null && enableGtid, enable == null || enable, flavor == null ? "" : flavor, security,
                purge == null ? Purge.DEFAULT : purge.withDefaults(),
                relayConfig == null ? RelayConfig.DISABLED : relayConfig);
    }

    /** The same config with secrets replaced by {@link #MASKED_PASSWORD}, for API answers. */
    public SourceConfig masked() {
        Security s = security == null ? null : security.masked();
        return new SourceConfig(sourceName, host, port, user, MASKED_PASSWORD, enableGtid, enable, flavor, s, purge, relayConfig);
    }

    /** TLS settings; the key content is a secret like the password. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Security(
            @JsonProperty("ssl_ca_content") String sslCaContent,
            @JsonProperty("ssl_cert_content") String sslCertContent,
            @JsonProperty("ssl_key_content") String sslKeyContent,
            @JsonProperty("cert_allowed_cn") java.util.List<String> certAllowedCn) {
        Security masked() {
            return new Security(sslCaContent, sslCertContent, sslKeyContent == null ? null : MASKED_PASSWORD, certAllowedCn);
        }
    }

    /** Relay log cleanup policy: check every {@code interval} s, expire after {@code expires} h, keep {@code remain_space} GB free. */
    public record Purge(Long interval, Long expires, @JsonProperty("remain_space") Long remainSpace) {
        public static final Purge DEFAULT = new Purge(3600L, 0L, 15L);

        Purge withDefaults() {
            return new Purge(interval == null ? 3600L : interval, expires == null ? 0L : expires,
                    remainSpace == null ? 15L : remainSpace);
        }
    }

    /** Relay log settings of the source. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RelayConfig(
            @JsonProperty("enable_relay") Boolean enableRelay,
            @JsonProperty("relay_binlog_name") String relayBinlogName,
            @JsonProperty("relay_binlog_gtid") String relayBinlogGtid,
            @JsonProperty("relay_dir") String relayDir) {
        public static final RelayConfig DISABLED = new RelayConfig(false, null, null, "relay_log");
    }
}
