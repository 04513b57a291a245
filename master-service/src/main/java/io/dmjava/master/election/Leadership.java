package io.dmjava.master.election;

import io.dmjava.model.cluster.LeaderInfo;
import java.util.Optional;

/** What this master knows of the election: whether it leads, and who does. */
public interface Leadership {
    boolean isLeader();

    /** The current leader as last observed, if any is elected. */
    Optional<LeaderInfo> leader();

    /** The name of this master. */
    String self();
}
