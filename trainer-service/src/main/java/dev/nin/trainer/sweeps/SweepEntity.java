package dev.nin.trainer.sweeps;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.Generated;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/**
 * A row of {@code sweep}: the request and its resolved search. Inserted once; afterwards only its
 * {@code cancel_requested} changes, by a targeted update.
 */
@Entity
@Table(name = "sweep")
// Named, so Hibernate parses them at boot (see RunEntity); SweepRepository calls them by name.
@NamedQuery(name = SweepEntity.NEWEST, query = "from SweepEntity s order by s.createdAt desc")
@NamedQuery(
    name = SweepEntity.CANCEL,
    query = "update SweepEntity s set s.cancelRequested = true where s.id = ?1")
class SweepEntity {

  static final String NEWEST = "SweepEntity.newest";
  static final String CANCEL = "SweepEntity.cancel";

  @Id UUID id;

  String name;

  @JdbcTypeCode(SqlTypes.JSON)
  String spec;

  String search;
  long seed;
  int trials;
  int parallelism;

  @Column(name = "stop_rule")
  String stopRule;

  @JdbcTypeCode(SqlTypes.ARRAY)
  @Column(columnDefinition = "integer[]")
  Integer[] rungs;

  int eta;

  @Column(name = "cancel_requested")
  boolean cancelRequested;

  /** The database's clock, as a run's. */
  @Generated
  @Column(name = "created_at", insertable = false, updatable = false)
  OffsetDateTime createdAt;

  static SweepEntity of(SweepPlan plan, String specJson) {
    var e = new SweepEntity();
    e.id = UUID.randomUUID();
    e.name = plan.name();
    e.spec = specJson;
    e.search = plan.search();
    e.seed = plan.seed();
    e.trials = plan.trials().size();
    e.parallelism = plan.parallelism();
    e.stopRule = plan.rule().id();
    e.rungs = plan.rungs().toArray(Integer[]::new);
    e.eta = plan.eta();
    return e;
  }

  StopRule rule() {
    return StopRule.parse(stopRule);
  }

  List<Integer> rungList() {
    return List.of(rungs);
  }
}
