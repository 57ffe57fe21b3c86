"""``osce-kg build``: the pipeline that writes every output of the project into
one folder (see :mod:`.pipeline`), the dataset serialisations (:mod:`.dataset`),
the ontology documentation (:mod:`.ontology_docs`) and the HTML report
(:mod:`.report`, :mod:`.report_data`, :mod:`.article_text`)."""
