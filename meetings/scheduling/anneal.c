/* Simulated annealing over complete schedules: every meeting in one of its allowed slots, the
 * other hard rules (one meeting per participant and slot, rooms, `after`, fairness) as penalties,
 * the breaks as the objective. Compiled and called through ctypes by anneal.py, without the GIL,
 * so it runs beside the Python threads; docs/scheduler.md has the measurements.
 *
 * control[0]: set to 1 by the caller to stop; control[1]: a proven lower bound on the breaks
 * (stop there, may rise during the run); control[2]: the best breaks found (-1: no schedule
 * keeping every rule yet); control[3]: a sequence number, odd while best_out is being written.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_BREAKS 64

typedef struct {
    int n_meetings, n_people, n_slots, rooms, fairness, n_days;
    const int32_t *a, *b, *allowed_start, *allowed_count, *allowed;
    const uint64_t *allowed_bits, *slot_bit, *day_mask;
    const int32_t *pred_start, *pred_count, *preds, *succ_start, *succ_count, *succs;
    const int32_t *person_start, *person_count, *person_meetings;
    int32_t *slot;
    uint8_t *seats;  /* person * n_slots + slot -> meetings of that person there */
    int32_t *occ;    /* person * n_slots + slot -> a meeting of that person there, or -1 */
    int32_t *mark;   /* per meeting: the Kempe chain it was last put in */
    int32_t *chain;
    int32_t stamp;
    uint64_t *busy;
    int32_t *breaks, *load;
    int32_t *idle;
    int32_t hist[MAX_BREAKS + 1];
    int64_t conflicts, overflow, order, total, idle_total;
} State;

static inline int count_breaks(const State *st, uint64_t mask) {
    if (!mask) return 0;
    int blocks = __builtin_popcountll(mask & ~(mask << 1));
    for (int d = 0; d < st->n_days; d++) blocks -= (mask & st->day_mask[d]) != 0;
    return blocks;
}

/* Empty slots inside the participant's day: not the objective, but a gradient towards it (a long
 * gap that shrinks is a step towards a break that closes). */
static inline int count_idle(const State *st, uint64_t mask) {
    int idle = 0;
    for (int d = 0; d < st->n_days; d++) {
        uint64_t day = mask & st->day_mask[d];
        if (day) idle += 64 - __builtin_clzll(day) - __builtin_ctzll(day) - __builtin_popcountll(day);
    }
    return idle;
}

static inline void rebreak(State *st, int p) {
    int gaps = count_idle(st, st->busy[p]);
    st->idle_total += gaps - st->idle[p];
    st->idle[p] = gaps;
    int now = count_breaks(st, st->busy[p]);
    if (now > MAX_BREAKS) now = MAX_BREAKS;
    st->hist[st->breaks[p]]--;
    st->hist[now]++;
    st->total += now - st->breaks[p];
    st->breaks[p] = now;
}

static inline void seat(State *st, int p, int s, int sign, int m) {
    size_t at = (size_t)p * st->n_slots + s;
    uint8_t *c = &st->seats[at];
    if (sign > 0) {
        if (*c >= 1) st->conflicts++;
        if ((*c)++ == 0) { st->occ[at] = m; st->busy[p] |= st->slot_bit[s]; rebreak(st, p); }
    } else {
        if (*c >= 2) st->conflicts--;
        if (--(*c) == 0) { st->occ[at] = -1; st->busy[p] &= ~st->slot_bit[s]; rebreak(st, p); }
        else if (st->occ[at] == m) {
            /* another meeting of p is still there: find it */
            for (int i = 0; i < st->person_count[p]; i++) {
                int o = st->person_meetings[st->person_start[p] + i];
                if (o != m && st->slot[o] == s) { st->occ[at] = o; break; }
            }
        }
    }
}

static inline int order_violations(const State *st, int m) {
    int v = 0, s = st->slot[m];
    for (int i = 0; i < st->pred_count[m]; i++) v += st->slot[st->preds[st->pred_start[m] + i]] >= s;
    for (int i = 0; i < st->succ_count[m]; i++) v += st->slot[st->succs[st->succ_start[m] + i]] <= s;
    return v;
}

static inline void put(State *st, int m, int s, int sign) {
    seat(st, st->a[m], s, sign, m);
    seat(st, st->b[m], s, sign, m);
    if (sign > 0) {
        if (st->load[s]++ >= st->rooms) st->overflow++;
    } else {
        if (st->load[s]-- > st->rooms) st->overflow--;
    }
}

static inline void move(State *st, int m, int s) {
    st->order -= order_violations(st, m);
    put(st, m, st->slot[m], -1);
    st->slot[m] = s;
    put(st, m, s, +1);
    st->order += order_violations(st, m);
}

/* A Kempe chain: the meetings reached from m by alternating between slots s and t through
 * shared participants. Swapping s and t along it keeps everyone in at most one meeting per
 * slot when nobody is double-booked before. Returns its length, or -1 when a meeting of it
 * may not take its other slot or it is longer than `limit`. */
static int kempe_chain(State *st, int m, int t, int limit) {
    int s = st->slot[m], n = 0;
    if (++st->stamp == INT32_MAX) {
        memset(st->mark, 0, sizeof(int32_t) * st->n_meetings);
        st->stamp = 1;
    }
    st->chain[n++] = m;
    st->mark[m] = st->stamp;
    for (int i = 0; i < n; i++) {
        int e = st->chain[i];
        int here = st->slot[e], there = here == s ? t : s;
        if (!(st->allowed_bits[e] >> there & 1)) return -1;
        int ends[2] = {st->a[e], st->b[e]};
        for (int k = 0; k < 2; k++) {
            int f = st->occ[(size_t)ends[k] * st->n_slots + there];
            if (f >= 0 && st->mark[f] != st->stamp) {
                if (n >= limit) return -1;
                st->mark[f] = st->stamp;
                st->chain[n++] = f;
            }
        }
    }
    return n;
}

/* Swap slots s and t along the chain (the same call undoes it). */
static void kempe_swap(State *st, int n, int s, int t) {
    for (int i = 0; i < n; i++) put(st, st->chain[i], st->slot[st->chain[i]], -1);
    for (int i = 0; i < n; i++) {
        int e = st->chain[i];
        st->slot[e] = st->slot[e] == s ? t : s;
        put(st, e, st->slot[e], +1);
    }
}

static inline int64_t unfairness(const State *st) {
    if (st->fairness < 0) return 0;
    int lo = 0, hi = MAX_BREAKS;
    while (lo <= MAX_BREAKS && !st->hist[lo]) lo++;
    while (hi > 0 && !st->hist[hi]) hi--;
    return hi - lo > st->fairness ? hi - lo - st->fairness : 0;
}

static inline int64_t violations(const State *st) {
    return st->conflicts + st->overflow + st->order + unfairness(st);
}

static inline uint64_t next_random(uint64_t *x) {
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

static double now_seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Returns the best breaks of a schedule keeping every rule (in best_out), or -1. */
int anneal(int n_meetings, int n_people, int n_slots, int rooms, int fairness, int n_days,
           const int32_t *a, const int32_t *b, const int32_t *allowed_start,
           const int32_t *allowed_count, const int32_t *allowed, const uint64_t *allowed_bits,
           const uint64_t *slot_bit, const uint64_t *day_mask, const int32_t *pred_start,
           const int32_t *pred_count, const int32_t *preds, const int32_t *succ_start,
           const int32_t *succ_count, const int32_t *succs, const int32_t *person_start,
           const int32_t *person_count, const int32_t *person_meetings, const int32_t *movable,
           int n_movable, int32_t *slot, int32_t *best_out, uint64_t seed, double seconds,
           int64_t max_moves, int64_t cycle_moves, double weight, double gap_weight, double hot, double cold,
           double kempe_share, double round_seconds, volatile int32_t *control) {
    State st = {n_meetings, n_people, n_slots, rooms, fairness, n_days, a, b, allowed_start,
                allowed_count, allowed, allowed_bits, slot_bit, day_mask, pred_start, pred_count,
                preds, succ_start, succ_count, succs, person_start, person_count,
                person_meetings, slot};
    st.seats = calloc((size_t)n_people * n_slots, 1);
    st.busy = calloc(n_people, sizeof(uint64_t));
    st.breaks = calloc(n_people, sizeof(int32_t));
    st.load = calloc(n_slots, sizeof(int32_t));
    st.idle = calloc(n_people, sizeof(int32_t));
    st.occ = malloc(sizeof(int32_t) * (size_t)n_people * n_slots);
    st.mark = calloc(n_meetings, sizeof(int32_t));
    st.chain = malloc(sizeof(int32_t) * n_meetings);
    st.stamp = 0;
    if (!st.seats || !st.busy || !st.breaks || !st.load || !st.idle || !st.occ || !st.mark ||
        !st.chain) {
        free(st.seats); free(st.busy); free(st.breaks); free(st.load); free(st.idle);
        free(st.occ); free(st.mark); free(st.chain);
        return -2;
    }
    for (size_t i = 0; i < (size_t)n_people * n_slots; i++) st.occ[i] = -1;
    /* Kempe chains only without `after` rules (their violations are counted per move) */
    int kempe = kempe_share > 0;
    for (int m = 0; m < n_meetings && kempe; m++) kempe = pred_count[m] == 0;
    memset(st.hist, 0, sizeof st.hist);
    st.hist[0] = n_people;
    for (int m = 0; m < n_meetings; m++) put(&st, m, slot[m], +1);
    for (int m = 0; m < n_meetings; m++) st.order += order_violations(&st, m);
    st.order /= 2;  /* each violated pair was counted from both ends */

    double deadline = now_seconds() + seconds;
    uint64_t x = seed * 0x9E3779B97F4A7C15ull + 0x2545F4914F6CDD1Dull;
    if (!x) x = 1;
    int64_t best = -1;
    if (violations(&st) == 0) {
        best = st.total;
        memcpy(best_out, slot, sizeof(int32_t) * n_meetings);
        control[2] = (int32_t)best;
    }
    /* Until the first schedule keeping every rule, broken rules weigh more: one comes fast. */
    double base_weight = weight;
    if (best < 0) weight = 3 * base_weight;
    double cost = weight * violations(&st) + st.total + gap_weight * st.idle_total;
    /* cycle_moves > 0: cool from hot to cold in that many moves, again and again; otherwise
     * once over the whole time given (however much of the CPU the machine leaves us). */
    double started = now_seconds();
    /* round_seconds > 0: independent rounds of that length, each from the draft again (the
     * best schedule is kept across rounds); runs differ a lot by their random moves alone. */
    double span = round_seconds > 0 ? fmin(round_seconds, seconds) : seconds;
    int32_t *draft = malloc(sizeof(int32_t) * n_meetings);
    if (!draft) span = seconds;
    else memcpy(draft, slot, sizeof(int32_t) * n_meetings);
    double temperature = hot;
    double ratio = pow(cold / hot, 1.0 / (cycle_moves > 0 ? cycle_moves : 1));
    if (cycle_moves <= 0) ratio = 1.0;
    int64_t since_best = 0;
    for (int64_t it = 0; it < max_moves && n_movable > 0; it++) {
        if ((it & 1023) == 0) {
            double now = now_seconds();
            if (control[0] || now >= deadline) break;
            if (draft && span < seconds && now - started >= span && deadline - now > 0.5 * span) {
                for (int m = 0; m < n_meetings; m++)
                    if (slot[m] != draft[m]) move(&st, m, draft[m]);
                started = now;
                span = fmin(span, deadline - now);
                cost = weight * violations(&st) + st.total + gap_weight * st.idle_total;
            }
            if (cycle_moves <= 0) temperature = hot * pow(cold / hot, fmin(1.0, (now - started) / span));
            /* long among broken rules: they weigh more, until the search is back within them */
            if (best >= 0) {
                double w = violations(&st) ? fmin(weight * 1.02, 64 * base_weight)
                                           : base_weight + (weight - base_weight) * 0.9;
                if (w != weight) {
                    weight = w;
                    cost = weight * violations(&st) + st.total + gap_weight * st.idle_total;
                }
            }
            if (best >= 0 && best <= control[1]) break;
        }
        temperature *= ratio;
        if (cycle_moves > 0 && temperature < cold) {
            /* a new cycle: from the best schedule when the last ones found nothing better */
            temperature = hot;
            if (best >= 0 && since_best > 2 * cycle_moves) {
                for (int m = 0; m < n_meetings; m++)
                    if (slot[m] != best_out[m]) move(&st, m, best_out[m]);
                cost = weight * violations(&st) + st.total + gap_weight * st.idle_total;
                since_best = 0;
            }
        }
        since_best++;
        int m = movable[next_random(&x) % n_movable];
        int from = slot[m], other = -1, to, chained = 0;
        uint64_t r = next_random(&x);
        if (kempe && st.conflicts == 0 &&
            (double)(next_random(&x) >> 11) * 0x1.0p-53 < kempe_share) {
            to = allowed[allowed_start[m] + (r >> 8) % allowed_count[m]];
            if (to == from) continue;
            chained = kempe_chain(&st, m, to, 48);
            if (chained < 0) continue;
            kempe_swap(&st, chained, from, to);
        } else if (r & 1) {
            int p = (r & 2) ? a[m] : b[m];
            other = person_meetings[person_start[p] + (r >> 8) % person_count[p]];
            to = slot[other];
            if (other == m || to == from || !(allowed_bits[m] >> to & 1) ||
                !(allowed_bits[other] >> from & 1))
                continue;
            move(&st, m, to);
            move(&st, other, from);
        } else {
            to = allowed[allowed_start[m] + (r >> 8) % allowed_count[m]];
            if (to == from) continue;
            move(&st, m, to);
        }
        int64_t broken = violations(&st);
        double after = weight * broken + st.total + gap_weight * st.idle_total;
        double delta = after - cost;
        if (delta > 0 && (double)(next_random(&x) >> 11) * 0x1.0p-53 >= exp(-delta / temperature)) {
            if (chained) {
                kempe_swap(&st, chained, from, to);
            } else {
                if (other >= 0) move(&st, other, to);
                move(&st, m, from);
            }
            continue;
        }
        cost = after;
        if (broken == 0 && (best < 0 || st.total < best)) {
            if (best < 0) {
                weight = base_weight;
                cost = weight * broken + st.total + gap_weight * st.idle_total;
            }
            best = st.total;
            since_best = 0;
            control[3]++;
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            memcpy(best_out, slot, sizeof(int32_t) * n_meetings);
            __atomic_thread_fence(__ATOMIC_SEQ_CST);
            control[3]++;
            control[2] = (int32_t)best;
        }
    }
    free(st.seats); free(st.busy); free(st.breaks); free(st.load); free(st.idle);
    free(st.occ); free(st.mark); free(st.chain); free(draft);
    return (int)best;
}
