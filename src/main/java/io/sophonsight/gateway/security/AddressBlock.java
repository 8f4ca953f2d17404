package io.sophonsight.gateway.security;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/**
 * An address block such as {@code 10.0.0.0/8}, {@code 192.168.1.20} or {@code fd00::/8}, as the allowlists
 * and {@code GATEWAY_TRUSTED_PROXIES} name them. Only IP literals are parsed, never a DNS name (a lookup per
 * request would be slow and would let DNS decide who gets in). IPv4-mapped IPv6 addresses count as IPv4.
 */
public record AddressBlock(byte[] network, int prefix) {

    /** Parses a comma-separated list (blank entries ignored); {@code setting} names the setting in errors. */
    public static List<AddressBlock> parseAll(List<String> entries, String setting) {
        return entries == null ? List.of() : entries.stream()
                .filter(e -> e != null && !e.isBlank())
                .map(e -> parse(e.trim(), setting))
                .toList();
    }

    public static AddressBlock parse(String text, String setting) {
        String[] parts = text.split("/", 2);
        byte[] address = literal(parts[0]);
        if (address == null) {
            throw new IllegalArgumentException(setting + ": not an IP address or CIDR block: " + text);
        }
        int prefix;
        try {
            prefix = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : address.length * 8;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(setting + ": bad prefix length in " + text);
        }
        if (prefix < 0 || prefix > address.length * 8) {
            throw new IllegalArgumentException(setting + ": bad prefix length in " + text);
        }
        return new AddressBlock(address, prefix);
    }

    /** True when {@code addressText} is an IP literal inside this block. */
    public boolean contains(String addressText) {
        byte[] address = addressText == null ? null : literal(addressText);
        if (address == null || address.length != network.length) {
            return false;
        }
        int bits = network.length * 8;
        BigInteger all = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
        BigInteger mask = all.shiftRight(prefix).not().and(all);
        return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
    }

    /** True when any block of {@code blocks} contains the address. */
    public static boolean anyContains(List<AddressBlock> blocks, String address) {
        for (AddressBlock block : blocks) {
            if (block.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** Parses an IP literal only (never a DNS lookup); null when the text is not one. */
    static byte[] literal(String text) {
        String t = text.trim();
        if (t.startsWith("[") && t.endsWith("]")) {
            t = t.substring(1, t.length() - 1);
        }
        if (!t.matches("[0-9.]+") && !t.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            return null;
        }
        try {
            byte[] bytes = InetAddress.getByName(t).getAddress();
            if (bytes.length == 16 && isMappedV4(bytes)) {
                return Arrays.copyOfRange(bytes, 12, 16);
            }
            return bytes;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isMappedV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[10] == (byte) 0xff && b[11] == (byte) 0xff;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AddressBlock block && block.prefix == prefix && Arrays.equals(block.network, network);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(network) + prefix;
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(network).getHostAddress() + "/" + prefix;
        } catch (UnknownHostException e) {
            return Arrays.toString(network) + "/" + prefix;
        }
    }
}
