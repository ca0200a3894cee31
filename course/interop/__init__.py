"""The course in the formats the rest of e-learning speaks.

* question banks out: GIFT (:mod:`course.interop.gift`) and Moodle XML
  (:mod:`course.interop.moodle_xml`), sharing what to carry and what to skip
  (:mod:`course.interop.questions`);
* learning records out: xAPI 1.0.3 statements built from the stored tables
  (:mod:`course.interop.xapi`), exported as JSONL or sent to a learning record store through
  an outbox that survives a restart (:mod:`course.interop.lrs`).
"""
