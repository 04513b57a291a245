package io.dmjava.master.cluster;

import io.dmjava.api.model.ClusterMaster;
import io.dmjava.api.model.LeaderOperationRequest;
import io.dmjava.api.model.LeaderOperationResponse;
import io.dmjava.master.election.Leadership;
import io.dmjava.model.cluster.LeaderInfo;
import io.dmjava.model.cluster.MasterInfo;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.store.EtcdKv;
import io.dmjava.store.MasterStore;
import io.etcd.jetcd.cluster.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The masters of the cluster: listing, removing a stopped one, and evicting the leader. */
public final class MasterAdmin {
    private static final Logger log = LoggerFactory.getLogger(MasterAdmin.class);

    private final EtcdKv kv;
    private final MasterStore masters;
    private final Leadership leadership;

    public MasterAdmin(EtcdKv kv, MasterStore masters, Leadership leadership) {
        this.kv = kv;
        this.masters = masters;
        this.leadership = leadership;
    }

    public List<ClusterMaster> list() {
        Set<String> alive = masters.alive();
        String leader = leadership.leader().map(LeaderInfo::name).orElse("");
        List<ClusterMaster> out = new ArrayList<>();
        for (MasterInfo m : masters.registered().values()) {
            out.add(new ClusterMaster(m.name(), alive.contains(m.name()), m.name().equals(leader), m.addr()));
        }
        return out;
    }

    /**
     * Removes a stopped master: its etcd member first (so the cluster's quorum size shrinks with it),
     * then its registration.
     */
    public void remove(String name) {
        MasterInfo info = masters.registered(name).orElseThrow(() -> new DmException(ErrorCode.MASTER_NOT_FOUND, name));
        if (masters.alive().contains(name)) {
            throw new DmException(ErrorCode.MASTER_STILL_ALIVE, name);
        }
        if (!info.etcdMemberName().isEmpty()) {
            List<Member> members = kv.await(kv.client().getClusterClient().listMember(), "list etcd members").getMembers();
            Optional<Member> member = members.stream().filter(m -> m.getName().equals(info.etcdMemberName())).findFirst();
            if (member.isPresent()) {
                try {
                    kv.await(kv.client().getClusterClient().removeMember(member.get().getId()), "remove etcd member");
                } catch (DmException e) {
                    throw new DmException(ErrorCode.MASTER_REMOVE_FAILED, e, name, e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                }
                log.info("removed etcd member '{}' of master '{}'", info.etcdMemberName(), name);
            }
        }
        masters.delete(name);
        log.info("removed master '{}'", name);
    }

    /** DM's {@code operate-leader}: runs on the leader (followers forward it here). */
    public LeaderOperationResponse operate(LeaderOperationRequest req) {
        if (req == null || req.op() == null) {
            throw new DmException(ErrorCode.INVALID_PARAMETER, "op", "missing; use 'evict' or 'cancel-evict'");
        }
        return switch (req.op()) {
            case LeaderOperationRequest.EVICT -> evict();
            case LeaderOperationRequest.CANCEL_EVICT -> cancelEvict(req.masterName());
            default -> throw new DmException(ErrorCode.INVALID_PARAMETER, "op",
                    "'" + req.op() + "' is not an operation; use 'evict' or 'cancel-evict'");
        };
    }

    private LeaderOperationResponse evict() {
        String self = leadership.self();
        Set<String> evicted = masters.evicted();
        boolean successorExists = masters.alive().stream().anyMatch(m -> !m.equals(self) && !evicted.contains(m));
        if (!successorExists) {
            throw new DmException(ErrorCode.EVICT_REFUSED, self, "no other running master could take over");
        }
        masters.evict(self);
        log.info("leader '{}' evicted by request; it steps down and stops campaigning", self);
        return new LeaderOperationResponse(LeaderOperationRequest.EVICT, awaitLeaderOtherThan(self),
                List.copyOf(masters.evicted()));
    }

    private LeaderOperationResponse cancelEvict(String name) {
        if (name != null && !name.isBlank()) {
            if (masters.registered(name).isEmpty()) {
                throw new DmException(ErrorCode.MASTER_NOT_FOUND, name);
            }
            masters.cancelEvict(name);
        } else {
            masters.evicted().forEach(masters::cancelEvict);
        }
        return new LeaderOperationResponse(LeaderOperationRequest.CANCEL_EVICT,
                leadership.leader().map(LeaderInfo::name).orElse(""), List.copyOf(masters.evicted()));
    }

    /** Waits (bounded) for the successor, so the caller learns who leads now. */
    private String awaitLeaderOtherThan(String self) {
        long deadline = System.nanoTime() + kv.timeout().toNanos() * 2;
        while (System.nanoTime() < deadline) {
            Optional<LeaderInfo> l = leadership.leader();
            if (l.isPresent() && !l.get().name().equals(self)) {
                return l.get().name();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return "";
    }
}
