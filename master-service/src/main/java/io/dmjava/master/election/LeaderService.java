package io.dmjava.master.election;

/**
 * A bean that runs only on the leader (the scheduler, the shard-DDL coordinators). It is started when
 * this master wins the election and stopped when it loses it; each start rebuilds its state from etcd,
 * because another master may have changed everything in between.
 */
public interface LeaderService {
    /** Called on the election thread after leadership is won; a failure makes this master resign. */
    void onElected();

    /** Called when leadership is lost or given up; must not throw and must stop all leader work. */
    void onRevoked();
}
