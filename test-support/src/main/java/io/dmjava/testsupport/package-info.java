/**
 * Test harness that runs real {@code etcd} and {@code mariadbd} servers as child processes on free
 * 127.0.0.1 ports, each in its own temp dir, with JUnit 5 extensions on top. No containers and no
 * mocks: a test talks to the same binaries production does.
 *
 * <p>Cleanup is layered because test JVMs die in every possible way: {@code close()} on the resource,
 * then a shutdown hook for whatever is still running at JVM exit, then a reaper that the next test
 * JVM runs for leftovers of a JVM killed too hard to run its hooks (see {@link
 * io.dmjava.testsupport.ProcessRegistry}).
 */
package io.dmjava.testsupport;
