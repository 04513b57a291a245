package io.dmjava.model.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts passwords at rest with AES-256-GCM. The key lives in a file (32 random bytes, base64)
 * that masters and workers share, never in etcd: whoever reads etcd alone cannot read a password.
 * Stored form: {@code enc:v1:<base64(nonce | ciphertext+tag)>}.
 */
public final class SecretCipher {
    private static final String PREFIX = "enc:v1:";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    private SecretCipher(byte[] key) {
        if (key.length != 32) {
            throw new IllegalArgumentException("the secret key must be 32 bytes (base64 of 32 random bytes), got " + key.length);
        }
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Reads the key file. */
    public static SecretCipher fromFile(Path file) {
        try {
            return new SecretCipher(Base64.getDecoder().decode(Files.readString(file, StandardCharsets.UTF_8).trim()));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the secret key file " + file + ": " + e.getMessage()
                    + "; create one with: head -c 32 /dev/urandom | base64 > " + file, e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the secret key file " + file + " is not base64 of 32 bytes: " + e.getMessage(), e);
        }
    }

    /** Reads the key file, creating it (owner-only permissions) with a fresh random key if it is missing. */
    public static SecretCipher fromFileCreatingIfMissing(Path file) {
        if (!Files.exists(file)) {
            byte[] k = new byte[32];
            new SecureRandom().nextBytes(k);
            try {
                Path parent = file.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                Files.writeString(file, Base64.getEncoder().encodeToString(k) + "\n", StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException notPosix) {
                    // best effort on non-POSIX file systems
                }
            } catch (IOException e) {
                throw new IllegalStateException("cannot create the secret key file " + file + ": " + e.getMessage(), e);
            }
        }
        return fromFile(file);
    }

    public static SecretCipher ofKey(byte[] key) {
        return new SecretCipher(key.clone());
    }

    public static boolean isEncrypted(String value) {
        return value != null && value.startsWith(PREFIX);
    }

    public String encrypt(String plain) {
        if (plain == null || plain.isEmpty() || isEncrypted(plain)) {
            return plain;
        }
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            random.nextBytes(nonce);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[nonce.length + ct.length];
            System.arraycopy(nonce, 0, out, 0, nonce.length);
            System.arraycopy(ct, 0, out, nonce.length, ct.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("encryption failed", e);
        }
    }

    /** Decrypts a stored value; a value that was never encrypted (empty password) is returned as is. */
    public String decrypt(String stored) {
        if (!isEncrypted(stored)) {
            return stored;
        }
        try {
            byte[] in = Base64.getDecoder().decode(stored.substring(PREFIX.length()));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored password cannot be decrypted with this key file: was it written "
                    + "with another key? Every master and worker must use the same dm.secret-key-file", e);
        }
    }
}
