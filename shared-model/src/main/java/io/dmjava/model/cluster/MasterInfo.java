package io.dmjava.model.cluster;

import java.util.Objects;

/**
 * What a master registers under {@code /dm/master/registered/{name}}: its name, the address its REST
 * API answers on ({@code host:port}), and the etcd member it runs (empty when etcd is external).
 *
 * @param etcdMemberName the etcd member name, equal to the master name for embedded etcd, or empty
 * @param etcdClientUrls the client URLs of that member, comma separated, or empty
 */
public record MasterInfo(String name, String addr, String etcdMemberName, String etcdClientUrls) {
    public MasterInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(addr, "addr");
        etcdMemberName = etcdMemberName == null ? "" : etcdMemberName;
        etcdClientUrls = etcdClientUrls == null ? "" : etcdClientUrls;
    }
}
