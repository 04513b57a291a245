package io.dmjava.master.api;

import io.dmjava.api.model.CreateSourceRequest;
import io.dmjava.api.model.DisableRelayRequest;
import io.dmjava.api.model.EnableRelayRequest;
import io.dmjava.api.model.PurgeRelayRequest;
import io.dmjava.api.model.PurgeRelayResult;
import io.dmjava.api.model.ListResponse;
import io.dmjava.api.model.SourceStatus;
import io.dmjava.api.model.SourceView;
import io.dmjava.api.model.UpdateSourceRequest;
import io.dmjava.api.model.WorkerNameRequest;
import io.dmjava.master.relay.RelayControl;
import io.dmjava.master.source.SourceService;
import io.dmjava.model.error.DmException;
import io.dmjava.model.error.ErrorCode;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/v1/sources}: DM's source routes. */
@RestController
@RequestMapping("/api/v1/sources")
public class SourceController {
    private final SourceService sources;
    private final RelayControl relay;

    public SourceController(SourceService sources, RelayControl relay) {
        this.sources = sources;
        this.relay = relay;
    }

    @PostMapping
    public ResponseEntity<SourceView> create(@RequestBody CreateSourceRequest req) {
        if (req == null || req.source() == null) {
            throw new DmException(ErrorCode.SOURCE_INVALID, "field 'source' is missing");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(sources.create(req.source(), req.workerName()));
    }

    @GetMapping
    public ListResponse<SourceView> list(@RequestParam(name = "with_status", defaultValue = "false") boolean withStatus,
                                         @RequestParam(name = "enable_relay", required = false) Boolean enableRelay) {
        return ListResponse.of(sources.list(withStatus, enableRelay));
    }

    @GetMapping("/{sourceName}")
    public SourceView get(@PathVariable String sourceName,
                          @RequestParam(name = "with_status", defaultValue = "false") boolean withStatus) {
        return sources.get(sourceName, withStatus);
    }

    @PutMapping("/{sourceName}")
    public SourceView update(@PathVariable String sourceName, @RequestBody UpdateSourceRequest req) {
        if (req == null || req.source() == null) {
            throw new DmException(ErrorCode.SOURCE_INVALID, "field 'source' is missing");
        }
        return sources.update(sourceName, req.source());
    }

    @DeleteMapping("/{sourceName}")
    public ResponseEntity<Void> delete(@PathVariable String sourceName,
                                       @RequestParam(name = "force", defaultValue = "false") boolean force) {
        sources.delete(sourceName, force);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{sourceName}/status")
    public ListResponse<SourceStatus> status(@PathVariable String sourceName) {
        return ListResponse.of(relay.withRelay(sourceName, sources.status(sourceName)));
    }

    @PostMapping("/{sourceName}/relay/enable")
    public ResponseEntity<Void> enableRelay(@PathVariable String sourceName,
                                            @RequestBody(required = false) EnableRelayRequest req) {
        relay.enable(sourceName, req);
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{sourceName}/relay/disable")
    public ResponseEntity<Void> disableRelay(@PathVariable String sourceName,
                                             @RequestBody(required = false) DisableRelayRequest req) {
        relay.disable(sourceName, req);
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{sourceName}/relay/purge")
    public ListResponse<PurgeRelayResult> purgeRelay(@PathVariable String sourceName,
                                                     @RequestBody(required = false) PurgeRelayRequest req) {
        return ListResponse.of(relay.purge(sourceName, req));
    }

    @PostMapping("/{sourceName}/enable")
    public ResponseEntity<Void> enable(@PathVariable String sourceName) {
        sources.setEnabled(sourceName, true);
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{sourceName}/disable")
    public ResponseEntity<Void> disable(@PathVariable String sourceName) {
        sources.setEnabled(sourceName, false);
        return ResponseEntity.ok().build();
    }

    @PostMapping("/{sourceName}/transfer")
    public ResponseEntity<Void> transfer(@PathVariable String sourceName, @RequestBody WorkerNameRequest req) {
        sources.transfer(sourceName, req == null ? null : req.workerName());
        return ResponseEntity.ok().build();
    }

    @GetMapping("/{sourceName}/schemas")
    public List<String> schemas(@PathVariable String sourceName) {
        return sources.listUpstream(sourceName, null);
    }

    @GetMapping("/{sourceName}/schemas/{schemaName}")
    public List<String> tables(@PathVariable String sourceName, @PathVariable String schemaName) {
        return sources.listUpstream(sourceName, schemaName);
    }
}
