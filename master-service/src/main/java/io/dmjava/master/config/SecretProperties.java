package io.dmjava.master.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param keyFile the AES key file (base64 of 32 random bytes) encrypting passwords stored in etcd;
 *                every master and worker must use the same one. A master creates it (owner-only
 *                permissions) when it is missing. Default {@code dm-secret.key} in the working dir.
 */
@ConfigurationProperties("dm.secret")
public record SecretProperties(@DefaultValue("dm-secret.key") String keyFile) {
}
