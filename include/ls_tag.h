/* ls_tag: our log tags. LS_TAG(00101) "message" starts a message with
 * "LS00101: "; LS_TAG_ID(00101) is the tag alone, for a helper that is
 * handed the tag of the message it logs. Each tag names one message and
 * is listed with its level in docs/log-tags.md; make check-log-tags fails
 * on a tag used for two messages, a tag not registered, a tag written as
 * a plain string, or a log call without a tag. Glue only: the core never
 * logs. */
#ifndef LS_TAG_H
#define LS_TAG_H

#define LS_TAG_ID(n) "LS" #n
#define LS_TAG(n)    LS_TAG_ID(n) ": "

#endif /* LS_TAG_H */
