package io.dmjava.master.api;

import io.dmjava.api.model.ClusterInfo;
import io.dmjava.api.model.ClusterMaster;
import io.dmjava.api.model.ClusterWorker;
import io.dmjava.api.model.LeaderOperationRequest;
import io.dmjava.api.model.LeaderOperationResponse;
import io.dmjava.api.model.ListResponse;
import io.dmjava.master.cluster.MasterAdmin;
import io.dmjava.master.scheduler.Scheduler;
import io.dmjava.store.ClusterIdStore;
import java.util.Comparator;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/cluster/*}: masters, workers and the leader. Answered by the leader only. */
@RestController
@RequestMapping("/api/v1/cluster")
public class ClusterController {
    private final MasterAdmin masters;
    private final Scheduler scheduler;
    private final ClusterIdStore clusterId;

    public ClusterController(MasterAdmin masters, Scheduler scheduler, ClusterIdStore clusterId) {
        this.masters = masters;
        this.scheduler = scheduler;
        this.clusterId = clusterId;
    }

    @GetMapping("/info")
    public ClusterInfo info() {
        return new ClusterInfo(clusterId.getOrCreate());
    }

    @GetMapping("/masters")
    public ListResponse<ClusterMaster> masters() {
        return ListResponse.of(masters.list());
    }

    @DeleteMapping("/masters/{masterName}")
    public ResponseEntity<Void> deleteMaster(@PathVariable String masterName) {
        masters.remove(masterName);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/leader")
    public LeaderOperationResponse operateLeader(@RequestBody LeaderOperationRequest request) {
        return masters.operate(request);
    }

    @GetMapping("/workers")
    public ListResponse<ClusterWorker> workers() {
        return ListResponse.of(scheduler.workers().stream()
                .sorted(Comparator.comparing(w -> w.name()))
                .map(w -> new ClusterWorker(w.name(), w.addr(), w.stage().apiName(), w.source()))
                .toList());
    }

    @DeleteMapping("/workers/{workerName}")
    public ResponseEntity<Void> deleteWorker(@PathVariable String workerName) {
        scheduler.removeWorker(workerName);
        return ResponseEntity.noContent().build();
    }
}
