package io.dmjava.worker.api;

import io.dmjava.api.model.ErrorWithMessage;
import io.dmjava.api.model.PurgeRelayRequest;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import io.dmjava.worker.relay.RelaySupervisor;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The worker's internal relay API: the masters ask it for its relay's status and forward purges. */
@RestController
public class RelayController {
    private final RelaySupervisor relays;

    public RelayController(RelaySupervisor relays) {
        this.relays = relays;
    }

    @GetMapping("/internal/v1/relay/{source}")
    public ResponseEntity<?> status(@PathVariable String source) {
        return relays.status(source).<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> error(new DmException(ErrorCode.RELAY_NOT_RUNNING, source, "this worker")));
    }

    @PostMapping("/internal/v1/relay/{source}/purge")
    public ResponseEntity<?> purge(@PathVariable String source, @RequestBody PurgeRelayRequest req) {
        try {
            return ResponseEntity.ok(relays.purge(source, req == null ? null : req.relayBinlogName()));
        } catch (DmException e) {
            return error(e);
        }
    }

    private static ResponseEntity<?> error(DmException e) {
        return ResponseEntity.status(e.errorCode().httpStatus())
                .body(new ErrorWithMessage(e.errorCode().code(), e.getMessage()));
    }
}
