/* The 64-bit structural fingerprint of checker/engine/fingerprint.py, in C.
 *
 * fingerprint.py holds the definition and a pure-Python implementation of it; this file
 * computes exactly the same numbers, faster (tests/engine/test_fingerprint.py compares the
 * two on random values). It knows ints, bools, None, str, bytes, tuples (NamedTuples
 * too), sets, dicts (TLA+ functions and records are a dict subclass) and the model value
 * type it is given; for anything else (big integers, dataclasses, subclasses of str or
 * int) it calls the Python implementation back, which gives the same result.
 *
 * Values are immutable once in a state, so the fingerprints of tuples and frozensets are
 * kept in a small direct-mapped cache by identity: a successor shares most of its values
 * with its parent. The cache holds a reference to each object it remembers, so an address
 * in the cache is never reused for another object. A TLA+ function keeps its own: the sum
 * of its entries' terms, in its _fp slot, from which its fingerprint follows and from which
 * fn_except derives the fingerprint of [f EXCEPT ![k] = v] (in a cache it would be gone by
 * the time f's state is explored: a BFS level fingerprints far more values than it holds).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stdint.h>

#define K1 0x9E3779B97F4A7C15ULL
#define FNV_OFFSET 0xCBF29CE484222325ULL
#define FNV_PRIME 0x100000001B3ULL

/* Tags: one per kind of value (the same numbers as fingerprint.py). */
#define T_INT 0x6A09E667F3BCC908ULL
#define T_FALSE 0xBB67AE8584CAA73BULL
#define T_TRUE 0x3C6EF372FE94F82BULL
#define T_NONE 0xA54FF53A5F1D36F1ULL
#define T_STR 0x510E527FADE682D1ULL
#define T_MODEL 0x9B05688C2B3E6C1FULL
#define T_BYTES 0x1F83D9ABFB41BD6BULL
#define T_TUPLE 0x5BE0CD19137E2179ULL
#define T_SET 0xCBBB9D5DC1059ED8ULL
#define T_ELEM 0x629A292A367CD507ULL
#define T_FN 0x9159015A3070DD17ULL
#define T_KEY 0x152FECD8F70E5939ULL

#define CACHE_BITS 16
#define CACHE_SIZE (1 << CACHE_BITS)

typedef struct {
    PyObject *obj; /* a strong reference, or NULL */
    uint64_t fp;
} Entry;

static Entry cache[CACHE_SIZE];
static PyObject *fn_type = NULL;    /* checker.values.Fn */
static PyObject *model_type = NULL; /* checker.values.ModelValue */
static PyObject *fallback = NULL;   /* fingerprint.py's _py_value: value -> int */
static PyObject *name_attr = NULL;  /* "name" */
static Py_ssize_t hash_offset = -1; /* where an Fn keeps its _hash slot (configure finds it) */
static Py_ssize_t sum_offset = -1;  /* where an Fn keeps its _fp slot: its entries' sum, an int */

static inline uint64_t mix(uint64_t x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    x ^= x >> 31;
    return x;
}

static inline uint64_t bytes_fp(uint64_t tag, const unsigned char *p, Py_ssize_t n) {
    uint64_t h = FNV_OFFSET ^ tag;
    for (Py_ssize_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV_PRIME;
    }
    return mix(h ^ (uint64_t)n);
}

static int value_fp(PyObject *v, uint64_t *out);

/* The entries' sum an Fn's _fp slot holds (an int in 0 .. 2^64-1, written by this file only):
   the masked conversion reads its digits directly, where PyLong_AsUnsignedLongLong goes
   through a byte array (about 200 instructions a call in CPython 3.11, 2% of SlushSmall). */
static inline uint64_t slot_sum(PyObject *sum) { return (uint64_t)PyLong_AsUnsignedLongLongMask(sum); }

static int call_fallback(PyObject *v, uint64_t *out) {
    PyObject *r = PyObject_CallOneArg(fallback, v);
    if (r == NULL) return -1;
    uint64_t x = PyLong_AsUnsignedLongLong(r);
    Py_DECREF(r);
    if (x == (uint64_t)-1 && PyErr_Occurred()) return -1;
    *out = x;
    return 0;
}

static inline uint64_t fn_term(uint64_t k, uint64_t x) { return mix(mix(k ^ T_KEY) * K1 + x); }

static inline uint64_t fn_fp(Py_ssize_t size, uint64_t sum) { return mix(mix(T_FN ^ (uint64_t)size) * K1 + sum); }

/* In a set's loop: whether `item` is of the type of the elements before it (model values,
   which TLC compares with anything, aside). */
#define NOTE_KIND(item)                                                             \
    do {                                                                            \
        PyTypeObject *kt = Py_TYPE(item);                                           \
        if ((PyObject *)kt != model_type) {                                         \
            if (first == NULL) first = kt;                                          \
            else if (kt != first) mixed = 1;                                        \
        }                                                                           \
    } while (0)

static PyObject *small_zero = NULL, *small_one = NULL; /* the int objects 0 and 1 (CPython's own) */

static uint64_t last_sum; /* the entries' sum of the last function container_fp went through */

static int container_fp(PyObject *v, uint64_t *out) {
    if (PyTuple_Check(v)) {
        Py_ssize_t n = PyTuple_GET_SIZE(v);
        uint64_t h = mix(T_TUPLE ^ (uint64_t)n);
        for (Py_ssize_t i = 0; i < n; i++) {
            uint64_t c;
            if (value_fp(PyTuple_GET_ITEM(v, i), &c) < 0) return -1;
            h = mix(h * K1 + c);
        }
        *out = h;
        return 0;
    }
    if (PyAnySet_Check(v)) {
        uint64_t sum = 0;
        PyTypeObject *first = NULL; /* the elements' one type (model values aside), or: */
        int mixed = 0;              /* elements of two types, for the Python side to judge */
#if PY_VERSION_HEX < 0x030D0000
        Py_ssize_t pos = 0;
        PyObject *item;
        Py_hash_t hash;
        while (_PySet_NextEntry(v, &pos, &item, &hash)) {
            uint64_t c;
            if (value_fp(item, &c) < 0) return -1;
            sum += mix(c ^ T_ELEM);
            NOTE_KIND(item);
        }
#else
        PyObject *it = PyObject_GetIter(v), *item;
        if (it == NULL) return -1;
        while ((item = PyIter_Next(it)) != NULL) {
            uint64_t c;
            int r = value_fp(item, &c);
            NOTE_KIND(item);
            Py_DECREF(item);
            if (r < 0) { Py_DECREF(it); return -1; }
            sum += mix(c ^ T_ELEM);
        }
        Py_DECREF(it);
        if (PyErr_Occurred()) return -1;
#endif
        /* TLC compares a set's elements to fingerprint it: elements of two kinds (1 and "a")
           are an error there, which fingerprint.py's _structural raises (or, for elements
           TLC can compare, such as a sequence and a record, computes the same number). */
        if (mixed) return call_fallback(v, out);
        *out = mix(mix(T_SET ^ (uint64_t)PySet_GET_SIZE(v)) * K1 + sum);
        return 0;
    }
    /* a dict: a TLA+ function or record */
    Py_ssize_t pos = 0;
    PyObject *key, *val;
    uint64_t sum = 0;
    while (PyDict_Next(v, &pos, &key, &val)) {
        uint64_t k, x;
        if (value_fp(key, &k) < 0 || value_fp(val, &x) < 0) return -1;
        sum += fn_term(k, x);
    }
    *out = fn_fp(PyDict_GET_SIZE(v), sum);
    last_sum = sum;
    return 0;
}

static int value_fp(PyObject *v, uint64_t *out) {
    PyTypeObject *t = Py_TYPE(v);
    if (t == &PyLong_Type) {
        int overflow = 0;
        long long x = PyLong_AsLongLongAndOverflow(v, &overflow);
        if (overflow) return call_fallback(v, out);
        if (x == -1 && PyErr_Occurred()) return -1;
        *out = mix((uint64_t)x ^ T_INT);
        return 0;
    }
    if (v == Py_True) { *out = mix(T_TRUE); return 0; }
    if (v == Py_False) { *out = mix(T_FALSE); return 0; }
    if (t == &PyUnicode_Type) {
        Py_ssize_t n;
        const char *s = PyUnicode_AsUTF8AndSize(v, &n);
        if (s == NULL) { /* lone surrogates: the Python side encodes them */
            PyErr_Clear();
            return call_fallback(v, out);
        }
        *out = bytes_fp(T_STR, (const unsigned char *)s, n);
        return 0;
    }
    if ((PyObject *)t == model_type) {
        PyObject *name = PyObject_GetAttr(v, name_attr);
        if (name == NULL) return -1;
        Py_ssize_t n;
        const char *s = PyUnicode_Check(name) ? PyUnicode_AsUTF8AndSize(name, &n) : NULL;
        if (s == NULL) {
            Py_DECREF(name);
            PyErr_Clear();
            return call_fallback(v, out);
        }
        *out = bytes_fp(T_MODEL, (const unsigned char *)s, n);
        Py_DECREF(name);
        return 0;
    }
    if (v == Py_None) { *out = mix(T_NONE); return 0; }
    if (t == &PyBytes_Type) {
        *out = bytes_fp(T_BYTES, (const unsigned char *)PyBytes_AS_STRING(v), PyBytes_GET_SIZE(v));
        return 0;
    }
    PyObject **sum_slot = NULL;
    if ((PyObject *)t == fn_type) {
        sum_slot = (PyObject **)((char *)v + sum_offset);
        if (*sum_slot != NULL) {
            *out = fn_fp(PyDict_GET_SIZE(v), slot_sum(*sum_slot));
            return 0;
        }
    }
    int cached = t == &PyTuple_Type || t == &PyFrozenSet_Type;
    if (!cached && !PyTuple_Check(v) && !PyAnySet_Check(v) && !PyDict_Check(v)) {
        return call_fallback(v, out);
    }
    Entry *e = NULL;
    if (cached) {
        uintptr_t a = (uintptr_t)v;
        e = &cache[(uint64_t)(a >> 4) * K1 >> (64 - CACHE_BITS)];
        if (e->obj == v) { *out = e->fp; return 0; }
    }
    if (Py_EnterRecursiveCall(" while fingerprinting a value")) return -1;
    int r = container_fp(v, out);
    Py_LeaveRecursiveCall();
    if (r < 0) return -1;
    if (sum_slot != NULL) {
        PyObject *sum = PyLong_FromUnsignedLongLong(last_sum);
        if (sum == NULL) return -1;
        Py_XSETREF(*sum_slot, sum);
    }
    if (e != NULL) {
        PyObject *old = e->obj;
        Py_INCREF(v);
        e->obj = v;
        e->fp = *out;
        Py_XDECREF(old);
    }
    return 0;
}

/* Whether the key f stores for `key` is `key` itself, so that its fingerprint is the one to take
   out of f's sum: Python's dict finds a stored TRUE for 1, and <<TRUE>> for <<1>>. A string, a
   model value or an integer other than 0 and 1 is only equal to its own kind; for another key,
   f's keys are looked through for that very object (0 and 1 are each one object). */
static int stores_key(PyObject *f, PyObject *key) {
    if (PyUnicode_CheckExact(key) || (PyObject *)Py_TYPE(key) == model_type) return 1;
    if (PyLong_CheckExact(key)) {
        int overflow = 0;
        long long kv = PyLong_AsLongLongAndOverflow(key, &overflow);
        if (kv == -1 && PyErr_Occurred()) PyErr_Clear();
        if (overflow == 0 && kv != 0 && kv != 1) return 1;
    }
    Py_ssize_t pos = 0;
    PyObject *k, *x;
    while (PyDict_Next(f, &pos, &k, &x)) {
        if (k == key) return 1;
    }
    return 0;
}

/* fn_get(f, key, miss): f[key] where f is an Fn with key in its domain, else miss: the
   generated code's fast path of f[x] and r.name in one call (values.fn_get's rule). */
static PyObject *fn_get(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "fn_get(f, key, miss)");
        return NULL;
    }
    PyObject *f = args[0], *key = args[1];
    if (fn_type == NULL || (PyObject *)Py_TYPE(f) != fn_type) return Py_NewRef(args[2]);
    PyObject *v = PyDict_GetItemWithError(f, key); /* borrowed */
    if (v == NULL) return PyErr_Occurred() ? NULL : Py_NewRef(args[2]);
    if (key == Py_True || key == Py_False || key == small_zero || key == small_one) {
        /* Python's dict finds 1's value for TRUE (1 == True): where the domain's keys are of
           another type than key (its first key says), the slow path judges (values.fn_apply). */
        Py_ssize_t pos = 0;
        PyObject *k0, *x0;
        if (PyDict_Next(f, &pos, &k0, &x0) && Py_TYPE(k0) != Py_TYPE(key)) return Py_NewRef(args[2]);
    }
    return Py_NewRef(v);
}

/* 1 where f is not an Fn or key is not in its domain (the caller's miss), 0 where it is,
   -1 on an error (`key in f` raised it). */
static int missing_point(PyObject *f, PyObject *key) {
    if (fn_type == NULL || (PyObject *)Py_TYPE(f) != fn_type) return 1;
    int in = PyDict_Contains(f, key);
    return in < 0 ? -1 : !in;
}

/* [f EXCEPT ![key] = new] for an Fn f with key in its domain: a new Fn (its _hash slot None),
   with its entries' sum derived from f's (a function's fingerprint is a sum over its entries:
   the old entry's term out, the new one's in), which is computed first if f has none yet: the
   siblings that f's other updates make start from it too.
   With a fourth argument `miss`: miss itself where f is not an Fn or key not in its domain
   (the generated code's guard, in one call: values.py's _copy_except has the same rule). */
static PyObject *fn_except(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3 && nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "fn_except(f, key, new[, miss])");
        return NULL;
    }
    PyObject *f = args[0], *key = args[1], *new = args[2];
    if (fn_type == NULL || (PyObject *)Py_TYPE(f) != fn_type) {
        if (nargs == 4) return Py_NewRef(args[3]);
        PyErr_SetString(PyExc_TypeError, "fn_except takes an Fn (after configure)");
        return NULL;
    }
    PyObject *old = PyDict_GetItemWithError(f, key); /* borrowed; missing_point's test in the same lookup */
    if (old == NULL) {
        if (PyErr_Occurred()) return NULL;
        if (nargs == 4) return Py_NewRef(args[3]);
        PyErr_SetString(PyExc_KeyError, "fn_except: the key is not in the domain");
        return NULL;
    }
    Py_INCREF(old);
    PyTypeObject *t = (PyTypeObject *)fn_type;
    PyObject *m = NULL, *no_args = PyTuple_New(0);
    if (no_args == NULL) goto fail;
    m = t->tp_new(t, no_args, NULL); /* dict's own new: an empty dict of type Fn */
    Py_DECREF(no_args);
    if (m == NULL) goto fail;
    {
        PyObject **hash_slot = (PyObject **)((char *)m + hash_offset);
        Py_XSETREF(*hash_slot, Py_NewRef(Py_None));
    }
    if (PyDict_Merge(m, f, 1) < 0 || PyDict_SetItem(m, key, new) < 0) goto fail;
    uint64_t f_fp, k, x_old, x_new;
    if (value_fp(f, &f_fp) < 0 || value_fp(key, &k) < 0 || value_fp(old, &x_old) < 0 ||
        value_fp(new, &x_new) < 0) {
        PyErr_Clear(); /* fingerprinted later, the general way (which says what is wrong) */
    } else if (stores_key(f, key)) {
        uint64_t f_sum = slot_sum(*(PyObject **)((char *)f + sum_offset));
        PyObject *sum = PyLong_FromUnsignedLongLong(f_sum - fn_term(k, x_old) + fn_term(k, x_new));
        if (sum == NULL) goto fail;
        Py_XSETREF(*(PyObject **)((char *)m + sum_offset), sum);
    }
    Py_DECREF(old);
    return m;
fail:
    Py_XDECREF(m);
    Py_DECREF(old);
    return NULL;
}

static PyObject *fp_value(PyObject *self, PyObject *v) {
    uint64_t h;
    if (value_fp(v, &h) < 0) return NULL;
    return PyLong_FromUnsignedLongLong(h);
}

/* A state's fingerprint, 1 .. 2^64-1 (0 is the visited set's "empty"). The state itself is
   not cached: it is fingerprinted once. */
static PyObject *fp_state(PyObject *self, PyObject *v) {
    uint64_t h;
    if (PyTuple_CheckExact(v)) {
        if (container_fp(v, &h) < 0) return NULL;
    } else if (value_fp(v, &h) < 0) {
        return NULL;
    }
    return PyLong_FromUnsignedLongLong(h ? h : 1);
}

/* values.Fn.__hash__ in C: Python's hash of the frozenset of its items (what the Python method
   computes, so the same number), kept in its _hash slot. */
static PyObject *fn_hash(PyObject *f, PyObject *unused) {
    if (fn_type == NULL || hash_offset < 0 || !PyObject_TypeCheck(f, (PyTypeObject *)fn_type)) {
        PyErr_SetString(PyExc_TypeError, "fn_hash takes an Fn (after configure)");
        return NULL;
    }
    PyObject **slot = (PyObject **)((char *)f + hash_offset);
    if (*slot != NULL && *slot != Py_None) return Py_NewRef(*slot);
    PyObject *items = PyDict_Items(f);
    if (items == NULL) return NULL;
    PyObject *set = PyFrozenSet_New(items);
    Py_DECREF(items);
    if (set == NULL) return NULL;
    Py_hash_t x = PyObject_Hash(set);
    Py_DECREF(set);
    if (x == -1 && PyErr_Occurred()) return NULL;
    PyObject *h = PyLong_FromSsize_t(x);
    if (h == NULL) return NULL;
    Py_XSETREF(*slot, Py_NewRef(h));
    return h;
}

static PyMethodDef fn_hash_def = {"__hash__", fn_hash, METH_NOARGS, "The hash of the frozenset of the items, kept."};

/* Python's hash of the frozenset of f's items, computed without building the items or the set:
   CPython 3.11-3.13's frozenset hash (the shuffled hashes of the members xor-ed, the size
   folded in, then dispersed) over its tuple hash (xxHash's lanes) of each (key, value). A
   dict's items are distinct, so the set has as many members as f has keys. */
#if SIZEOF_PY_UHASH_T == 8 && PY_VERSION_HEX >= 0x030B0000 && PY_VERSION_HEX < 0x030E0000
#define FN_HASH_DIRECT 1
static inline Py_uhash_t shuffle_bits(Py_uhash_t h) { return ((h ^ 89869747UL) ^ (h << 16)) * 3644798167UL; }

static Py_hash_t items_hash(PyObject *f) {
    const Py_uhash_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL, p5 = 2870177450012600261ULL;
    Py_uhash_t hash = 0;
    Py_ssize_t pos = 0;
    PyObject *k, *v;
    while (PyDict_Next(f, &pos, &k, &v)) {
        Py_hash_t hk = PyObject_Hash(k);
        if (hk == -1) return -1;
        Py_hash_t hv = PyObject_Hash(v);
        if (hv == -1) return -1;
        Py_uhash_t acc = p5;
        acc += (Py_uhash_t)hk * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
        acc += (Py_uhash_t)hv * p2;
        acc = (acc << 31) | (acc >> 33);
        acc *= p1;
        acc += 2 ^ (p5 ^ 3527539UL);
        if (acc == (Py_uhash_t)-1) acc = 1546275796;
        hash ^= shuffle_bits(acc);
    }
    hash ^= ((Py_uhash_t)PyDict_GET_SIZE(f) + 1) * 1927868237UL;
    hash ^= (hash >> 11) ^ (hash >> 25);
    hash = hash * 69069U + 907133923UL;
    if (hash == (Py_uhash_t)-1) hash = 590923713UL;
    return (Py_hash_t)hash;
}

/* Fn's tp_hash: the number kept in the _hash slot, else items_hash kept there. Installed as
   the type's slot (install_fn_hash), so hash(f) is a C call without a method lookup. */
static Py_hash_t fn_tp_hash(PyObject *f) {
    PyObject **slot = (PyObject **)((char *)f + hash_offset);
    if (*slot != NULL && *slot != Py_None) return PyLong_AsSsize_t(*slot);
    if (Py_EnterRecursiveCall(" while hashing a function")) return -1;
    Py_hash_t x = items_hash(f);
    Py_LeaveRecursiveCall();
    if (x == -1) return -1;
    PyObject *h = PyLong_FromSsize_t(x);
    if (h == NULL) return -1;
    Py_XSETREF(*slot, h);
    return x;
}
#endif

/* Make Fn's tp_hash fn_tp_hash (after configure and after Fn.__hash__ was set: setting it
   again would put back the generic slot). False where this build or Python has none. */
static PyObject *install_fn_hash(PyObject *module, PyObject *unused) {
    if (fn_type == NULL || hash_offset < 0) {
        PyErr_SetString(PyExc_TypeError, "install_fn_hash: configure first");
        return NULL;
    }
#ifdef FN_HASH_DIRECT
    ((PyTypeObject *)fn_type)->tp_hash = fn_tp_hash;
    PyType_Modified((PyTypeObject *)fn_type);
    Py_RETURN_TRUE;
#else
    Py_RETURN_FALSE;
#endif
}

/* The method to install as Fn.__hash__ (checker/engine/fingerprint.py does, after configure). */
static PyObject *fn_hash_method(PyObject *module, PyObject *unused) {
    if (fn_type == NULL || hash_offset < 0) {
        PyErr_SetString(PyExc_TypeError, "fn_hash_method: configure first");
        return NULL;
    }
    return PyDescr_NewMethod((PyTypeObject *)fn_type, &fn_hash_def);
}

/* The offset of a type's slot `name` (a member of __slots__), or -1. */
static Py_ssize_t slot_offset(PyObject *type, const char *name) {
    PyObject *descr = PyDict_GetItemString(((PyTypeObject *)type)->tp_dict, name);
    if (descr == NULL || !Py_IS_TYPE(descr, &PyMemberDescr_Type)) return -1;
    PyMemberDef *member = ((PyMemberDescrObject *)descr)->d_member;
    return member->type == T_OBJECT_EX || member->type == T_OBJECT ? member->offset : -1;
}

static PyObject *configure(PyObject *self, PyObject *args) {
    PyObject *fn, *model, *fb;
    if (!PyArg_ParseTuple(args, "OOO", &fn, &model, &fb)) return NULL;
    if (!PyType_Check(fn) || !PyType_IsSubtype((PyTypeObject *)fn, &PyDict_Type)) {
        PyErr_SetString(PyExc_TypeError, "configure: Fn must be a dict subclass");
        return NULL;
    }
    /* Fn's _hash slot (fn_except sets it to None) and _fp slot (its entries' sum). */
    Py_ssize_t h = slot_offset(fn, "_hash"), f = slot_offset(fn, "_fp");
    if (h < 0 || f < 0) {
        PyErr_SetString(PyExc_TypeError, "configure: Fn must have the slots _hash and _fp");
        return NULL;
    }
    hash_offset = h;
    sum_offset = f;
    Py_XSETREF(fn_type, Py_NewRef(fn));
    Py_XSETREF(model_type, Py_NewRef(model));
    Py_XSETREF(fallback, Py_NewRef(fb));
    Py_RETURN_NONE;
}

static PyObject *clear(PyObject *self, PyObject *unused) {
    for (int i = 0; i < CACHE_SIZE; i++) Py_CLEAR(cache[i].obj);
    Py_RETURN_NONE;
}

/* -- the shared visited table of checker/engine/parallel.py ---------------------------
 *
 * Open addressing (linear probing) over a buffer that several forked processes map
 * (checker/engine/visited.py's SharedTable makes it): a 64-byte header whose first word
 * counts the fingerprints, then `slots` pairs of 64-bit words (fingerprint, mark). A
 * fingerprint is claimed with a compare-and-swap on its word, so each one is inserted
 * once whoever offers it first. The mark orders the occurrences of a state found during
 * the current BFS level: 0 none yet, ~(key + 1) for the smallest key offered so far (an
 * atomic maximum, so the smallest key wins whatever the order of the offers), and
 * all ones for a state of an earlier level (larger than any key's mark). */

#define MARK_OLD UINT64_MAX
#define ST_NOTHING 0
#define ST_INSERTED 1
#define ST_LOWERED 2
#define ST_FULL 3

typedef struct {
    PyObject_HEAD
    Py_buffer view;
    uint64_t *used;  /* the header's first word */
    uint64_t *pairs; /* 2 * slots words */
    uint64_t mask;
    uint64_t limit;
} TableObject;

static int Table_init(TableObject *self, PyObject *args, PyObject *kwds) {
    PyObject *buffer;
    unsigned long long slots, limit;
    if (!PyArg_ParseTuple(args, "OKK", &buffer, &slots, &limit)) return -1;
    if (slots == 0 || (slots & (slots - 1)) != 0) {
        PyErr_SetString(PyExc_ValueError, "slots must be a power of two");
        return -1;
    }
    if (self->view.obj != NULL) PyBuffer_Release(&self->view);
    if (PyObject_GetBuffer(buffer, &self->view, PyBUF_WRITABLE) < 0) return -1;
    if ((unsigned long long)self->view.len < 64 + 16 * slots || ((uintptr_t)self->view.buf & 15) != 0) {
        PyBuffer_Release(&self->view);
        PyErr_SetString(PyExc_ValueError, "the buffer is too small (or not aligned) for that many slots");
        return -1;
    }
    self->used = (uint64_t *)self->view.buf;
    self->pairs = (uint64_t *)((char *)self->view.buf + 64);
    self->mask = slots - 1;
    self->limit = limit;
    return 0;
}

static void Table_dealloc(TableObject *self) {
    if (self->view.obj != NULL) PyBuffer_Release(&self->view);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Offer fp with key: (slot << 2) | status. */
static PyObject *Table_insert(TableObject *self, PyObject *args) {
    unsigned long long fp, key;
    if (!PyArg_ParseTuple(args, "KK", &fp, &key)) return NULL;
    if (self->view.obj == NULL) {
        PyErr_SetString(PyExc_ValueError, "the table is not initialised");
        return NULL;
    }
    uint64_t mark = ~((uint64_t)key + 1), *pairs = self->pairs, mask = self->mask;
    uint64_t i = fp & mask;
    int status = ST_NOTHING;
    for (;;) {
        uint64_t *slot = pairs + 2 * i;
        uint64_t seen = __atomic_load_n(slot, __ATOMIC_ACQUIRE);
        if (seen == 0) {
            if (__atomic_load_n(self->used, __ATOMIC_RELAXED) >= self->limit) {
                return PyLong_FromUnsignedLongLong((i << 2) | ST_FULL);
            }
            uint64_t expected = 0;
            if (__atomic_compare_exchange_n(slot, &expected, (uint64_t)fp, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                __atomic_fetch_add(self->used, 1, __ATOMIC_RELAXED);
                status = ST_INSERTED;
                break;
            }
            seen = expected; /* another process filled the slot first */
        }
        if (seen == fp) break;
        i = (i + 1) & mask;
    }
    /* Whether inserted here or found: the key is kept if it is the smallest so far. */
    uint64_t *word = pairs + 2 * i + 1;
    uint64_t old = __atomic_load_n(word, __ATOMIC_ACQUIRE);
    int smallest = 0;
    while (old < mark) {
        if (__atomic_compare_exchange_n(word, &old, mark, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
            smallest = 1;
            break;
        }
    }
    if (!smallest) status = ST_NOTHING;
    else if (status == ST_NOTHING) status = ST_LOWERED;
    return PyLong_FromUnsignedLongLong((i << 2) | (uint64_t)status);
}

/* For each (slot, key) of two arrays of uint64: 1 if key is the smallest offered for the
   slot's state (then the state is marked as of an earlier level), else 0. */
static PyObject *Table_claim(TableObject *self, PyObject *args) {
    Py_buffer sv, kv;
    if (!PyArg_ParseTuple(args, "y*y*", &sv, &kv)) return NULL;
    Py_ssize_t n = sv.len / 8;
    PyObject *out = NULL;
    if (kv.len / 8 != n) {
        PyErr_SetString(PyExc_ValueError, "as many keys as slots");
        goto done;
    }
    out = PyBytes_FromStringAndSize(NULL, n);
    if (out == NULL) goto done;
    char *flags = PyBytes_AS_STRING(out);
    const uint64_t *slots = (const uint64_t *)sv.buf, *keys = (const uint64_t *)kv.buf;
    for (Py_ssize_t k = 0; k < n; k++) {
        uint64_t *word = self->pairs + 2 * (slots[k] & self->mask) + 1;
        uint64_t mark = ~(keys[k] + 1);
        flags[k] = __atomic_load_n(word, __ATOMIC_ACQUIRE) == mark;
        if (flags[k]) __atomic_store_n(word, MARK_OLD, __ATOMIC_RELEASE);
    }
done:
    PyBuffer_Release(&sv);
    PyBuffer_Release(&kv);
    return out;
}

/* Copy the states of earlier levels of `other` (a Table) into this one (no other process
   may touch either meanwhile); the number copied. */
static PyObject *Table_copy_old(TableObject *self, PyObject *other_obj);

static PyObject *Table_fingerprints(TableObject *self, PyObject *unused) {
    uint64_t slots = self->mask + 1, n = 0;
    for (uint64_t i = 0; i < slots; i++) n += self->pairs[2 * i] != 0;
    PyObject *out = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(8 * n));
    if (out == NULL) return NULL;
    uint64_t *p = (uint64_t *)PyBytes_AS_STRING(out);
    for (uint64_t i = 0; i < slots; i++) {
        if (self->pairs[2 * i] != 0) *p++ = self->pairs[2 * i];
    }
    return out;
}

static PyObject *Table_len(TableObject *self, PyObject *unused) {
    return PyLong_FromUnsignedLongLong(__atomic_load_n(self->used, __ATOMIC_ACQUIRE));
}

static PyObject *Table_release(TableObject *self, PyObject *unused) {
    if (self->view.obj != NULL) PyBuffer_Release(&self->view);
    self->view.obj = NULL;
    Py_RETURN_NONE;
}

static PyMethodDef table_methods[] = {
    {"insert", (PyCFunction)Table_insert, METH_VARARGS, "insert(fp, key) -> (slot << 2) | status: 1 inserted and 2 found, with the smallest key so far; 0 neither; 3 full."},
    {"claim", (PyCFunction)Table_claim, METH_VARARGS, "claim(slots, keys) -> bytes: 1 where the key is its state's smallest (marked old)."},
    {"copy_old", (PyCFunction)Table_copy_old, METH_O, "copy_old(table) -> the number of old states copied from it."},
    {"fingerprints", (PyCFunction)Table_fingerprints, METH_NOARGS, "Every fingerprint, as uint64 bytes."},
    {"used", (PyCFunction)Table_len, METH_NOARGS, "The number of fingerprints in the table."},
    {"release", (PyCFunction)Table_release, METH_NOARGS, "Let go of the buffer."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject TableType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "checker.engine._fp.Table",
    .tp_basicsize = sizeof(TableObject),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Table(buffer, slots, limit): the shared visited table over a writable buffer.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Table_init,
    .tp_dealloc = (destructor)Table_dealloc,
    .tp_methods = table_methods,
};

static PyObject *Table_copy_old(TableObject *self, PyObject *other_obj) {
    if (!PyObject_TypeCheck(other_obj, &TableType) || ((TableObject *)other_obj)->view.obj == NULL ||
        self->view.obj == NULL) {
        PyErr_SetString(PyExc_TypeError, "copy_old takes an initialised Table");
        return NULL;
    }
    TableObject *other = (TableObject *)other_obj;
    uint64_t slots = other->mask + 1, copied = 0, mask = self->mask;
    for (uint64_t k = 0; k < slots; k++) {
        uint64_t fp = other->pairs[2 * k];
        if (fp == 0 || other->pairs[2 * k + 1] != MARK_OLD) continue;
        uint64_t i = fp & mask;
        while (self->pairs[2 * i] != 0 && self->pairs[2 * i] != fp) i = (i + 1) & mask;
        if (self->pairs[2 * i] == 0) {
            self->pairs[2 * i] = fp;
            self->pairs[2 * i + 1] = MARK_OLD;
            copied++;
        }
    }
    *self->used += copied;
    return PyLong_FromUnsignedLongLong(copied);
}

/* The single-process visited set's add (visited.py's FingerprintSet, which holds the same
   table and probes it the same way in Python): linear probing from fp % slots over an
   array('Q') of fingerprints, 0 an empty slot. 1 if fp was written into an empty slot, 0 if
   it was there. The caller keeps the count and grows the table before it is full. */
/* Put fp in the open-addressing table (an array('Q'), linear probing from fp % slots, 0 for an
   empty slot) unless it is there: 1 if it was added, 0 if it was there, -1 on an error. */
static int probe_fp(PyObject *table, uint64_t fp) {
    Py_buffer view;
    if (PyObject_GetBuffer(table, &view, PyBUF_WRITABLE) < 0) return -1;
    uint64_t slots = (uint64_t)view.len / 8, *words = (uint64_t *)view.buf;
    if (slots == 0 || fp == 0 || view.itemsize != 8) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "the probe takes a non-empty array('Q') and a fingerprint other than 0");
        return -1;
    }
    uint64_t i = (uint64_t)fp % slots;
    int inserted = 0;
    for (uint64_t n = 0; n < slots; n++) {
        uint64_t seen = words[i];
        if (seen == fp) break;
        if (seen == 0) {
            words[i] = fp;
            inserted = 1;
            break;
        }
        if (++i == slots) i = 0;
    }
    PyBuffer_Release(&view);
    return inserted;
}

static int probe(PyObject *table, PyObject *fp_obj) {
    unsigned long long fp = PyLong_AsUnsignedLongLong(fp_obj);
    if (fp == (unsigned long long)-1 && PyErr_Occurred()) return -1;
    return probe_fp(table, (uint64_t)fp);
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* min_distance(table) -> the smallest difference between two fingerprints of the table (an
   array('Q'), 0 for an empty slot), or 2^63-1 (TLC's Long.MAX_VALUE) with fewer than two:
   TLC's "based on the actual fingerprints" figure (bfs.min_distance, which sorts with numpy
   where runs were spilled to disk). */
static PyObject *min_distance(PyObject *module, PyObject *table) {
    Py_buffer view;
    if (PyObject_GetBuffer(table, &view, PyBUF_SIMPLE) < 0) return NULL;
    Py_ssize_t slots = view.len / 8, n = 0;
    const uint64_t *words = (const uint64_t *)view.buf;
    uint64_t *fps = PyMem_Malloc((size_t)(slots > 0 ? slots : 1) * sizeof(uint64_t));
    if (fps == NULL) {
        PyBuffer_Release(&view);
        return PyErr_NoMemory();
    }
    for (Py_ssize_t i = 0; i < slots; i++)
        if (words[i] != 0) fps[n++] = words[i];
    PyBuffer_Release(&view);
    uint64_t best = ((uint64_t)1 << 63) - 1;
    if (n >= 2) {
        best = UINT64_MAX;
        Py_BEGIN_ALLOW_THREADS
        qsort(fps, (size_t)n, sizeof(uint64_t), compare_u64);
        Py_END_ALLOW_THREADS
        for (Py_ssize_t i = 1; i < n; i++)
            if (fps[i] - fps[i - 1] < best) best = fps[i] - fps[i - 1];
    }
    PyMem_Free(fps);
    return PyLong_FromUnsignedLongLong(best);
}

/* probe_add(table, fp) -> whether fp was added to the table. */
static PyObject *probe_add(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "probe_add(table, fp)");
        return NULL;
    }
    int inserted = probe(args[0], args[1]);
    if (inserted < 0) return NULL;
    return PyBool_FromLong(inserted);
}

/* One more fingerprint in counts, an array('q') holding [used, limit]: whether used is now
   above limit (the table is to grow), -1 on an error. */
static int count_one(PyObject *counts_obj) {
    Py_buffer counts;
    if (PyObject_GetBuffer(counts_obj, &counts, PyBUF_WRITABLE) < 0) return -1;
    if (counts.len != 16 || counts.itemsize != 8) {
        PyBuffer_Release(&counts);
        PyErr_SetString(PyExc_ValueError, "the counts are an array('q') of [used, limit]");
        return -1;
    }
    int64_t *c = (int64_t *)counts.buf;
    c[0] += 1;
    int grow = c[0] > c[1];
    PyBuffer_Release(&counts);
    return grow;
}

/* probe_count(table, counts, fp), counts an array('q') holding [used, limit]: 0 if fp was
   there, else it is added and counted, and the result is 1, or 2 once used is above limit
   (the caller grows the table). */
static PyObject *probe_count(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "probe_count(table, counts, fp)");
        return NULL;
    }
    int inserted = probe(args[0], args[2]);
    if (inserted <= 0) return inserted < 0 ? NULL : PyLong_FromLong(0);
    int grow = count_one(args[1]);
    return grow < 0 ? NULL : PyLong_FromLong(grow ? 2 : 1);
}

/* probe_state(table, counts, state): fp_state(state) put in the table and counted as
   probe_count does, without the fingerprint as a Python int on the way: 0 if it was there,
   else the fingerprint (1 .. 2^64-1); the caller grows the table once counts[0] > counts[1]. */
static PyObject *probe_state(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "probe_state(table, counts, state)");
        return NULL;
    }
    uint64_t h;
    PyObject *v = args[2];
    if (PyTuple_CheckExact(v)) {
        if (container_fp(v, &h) < 0) return NULL;
    } else if (value_fp(v, &h) < 0) {
        return NULL;
    }
    if (h == 0) h = 1;
    int inserted = probe_fp(args[0], h);
    if (inserted <= 0) return inserted < 0 ? NULL : PyLong_FromLong(0);
    return count_one(args[1]) < 0 ? NULL : PyLong_FromUnsignedLongLong(h);
}

/* intern(table, limit, succ, parent): succ with each of its values that is not its parent's
   (not the same object) replaced by the value of equal fingerprint and equal (==, of the same
   type) that `table` (a dict: fingerprint -> value) holds, or entered there; succ itself where
   nothing is replaced. A value seen before is then the same object wherever it recurs, so what
   is kept by identity (the fingerprint cache, the point updaters' tables, memos keyed by the
   objects a definition reads) finds it again. The table is cleared when it holds `limit`
   values. Only tuples are interned (a state of a TLA+ spec); anything else is returned as is. */
static PyObject *intern_state(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "intern(table, limit, succ, parent)");
        return NULL;
    }
    PyObject *table = args[0], *succ = args[2], *parent = args[3];
    Py_ssize_t limit = PyLong_AsSsize_t(args[1]);
    if (limit == -1 && PyErr_Occurred()) return NULL;
    if (!PyTuple_CheckExact(succ) || !PyDict_CheckExact(table)) return Py_NewRef(succ);
    Py_ssize_t n = PyTuple_GET_SIZE(succ);
    int same_shape = PyTuple_CheckExact(parent) && PyTuple_GET_SIZE(parent) == n;
    PyObject *out = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyTuple_GET_ITEM(succ, i);
        if (same_shape && PyTuple_GET_ITEM(parent, i) == v) continue;
        uint64_t h;
        if (value_fp(v, &h) < 0) {
            PyErr_Clear(); /* (not a value the fingerprint knows: left as it is) */
            continue;
        }
        PyObject *key = PyLong_FromUnsignedLongLong(h);
        if (key == NULL) goto fail;
        PyObject *got = PyDict_GetItemWithError(table, key); /* borrowed */
        if (got == NULL) {
            if (PyErr_Occurred()) { Py_DECREF(key); goto fail; }
            if (PyDict_GET_SIZE(table) >= limit) PyDict_Clear(table);
            int r = PyDict_SetItem(table, key, v);
            Py_DECREF(key);
            if (r < 0) goto fail;
            continue;
        }
        Py_DECREF(key);
        if (got == v || Py_TYPE(got) != Py_TYPE(v)) continue;
        Py_INCREF(got);
        int eq = PyObject_RichCompareBool(got, v, Py_EQ);
        if (eq < 0) PyErr_Clear();
        if (eq > 0) {
            if (out == NULL) {
                out = PyTuple_New(n); /* (a slice of the whole tuple would be the tuple itself) */
                if (out == NULL) { Py_DECREF(got); goto fail; }
                for (Py_ssize_t j = 0; j < n; j++) PyTuple_SET_ITEM(out, j, Py_NewRef(PyTuple_GET_ITEM(succ, j)));
            }
            PyObject *old = PyTuple_GET_ITEM(out, i);
            PyTuple_SET_ITEM(out, i, got); /* the reference taken above */
            Py_DECREF(old);
        } else {
            Py_DECREF(got);
        }
    }
    return out != NULL ? out : Py_NewRef(succ);
fail:
    Py_XDECREF(out);
    return NULL;
}

/* Updater(limit, trial, lazy, normalize): values.point_updater's update in C, the same rule
   (read its docstring there): [f EXCEPT ![key] = new] for key in f's domain, by fn_except;
   where key and new are atoms (an int that is not a bool, a str, a model value) the result for
   the same f (by identity: the table holds f), key and new is the same object each time, until
   the table is given up (fewer hits than misses over its first `trial` lookups); a new value of
   type `lazy` is made normalize(new) first. Called with the vectorcall protocol. */
/* In front of the table, a direct-mapped cache by identity of (f, key, new), holding the four
   objects: a hit there is a hit of the table (each entry is the table's entry for that key,
   and the cache is emptied whenever the table is), found without the key tuple and the id's
   int that a lookup of the table builds and frees (0.6 us against 0.1 us a hit). */
#define FRONT_BITS 10
typedef struct {
    PyObject *f, *key, *new, *result;
} FrontEntry;

typedef struct {
    PyObject_HEAD
    PyObject *table; /* (id(f), key, new) -> (f, result) */
    PyObject *lazy, *normalize;
    Py_ssize_t limit, trial, calls, hits;
    int kept;
    vectorcallfunc vectorcall;
    FrontEntry *front; /* 1 << FRONT_BITS entries, or NULL */
} UpdaterObject;

static inline FrontEntry *front_slot(UpdaterObject *self, PyObject *f, PyObject *key, PyObject *new) {
    uint64_t h = ((uint64_t)(uintptr_t)f >> 4) * K1 ^ ((uint64_t)(uintptr_t)key >> 4) ^ (((uint64_t)(uintptr_t)new >> 4) * 0x9E3779B97F4A7C15ULL);
    return &self->front[(h * K1) >> (64 - FRONT_BITS)];
}

static void front_clear(UpdaterObject *self) {
    if (self->front == NULL) return;
    for (Py_ssize_t i = 0; i < (1 << FRONT_BITS); i++) {
        FrontEntry *e = &self->front[i];
        PyObject *f = e->f, *key = e->key, *new = e->new, *result = e->result;
        e->f = e->key = e->new = e->result = NULL;
        Py_XDECREF(f);
        Py_XDECREF(key);
        Py_XDECREF(new);
        Py_XDECREF(result);
    }
}

static void front_put(UpdaterObject *self, FrontEntry *e, PyObject *f, PyObject *key, PyObject *new, PyObject *result) {
    PyObject *of = e->f, *ok = e->key, *on = e->new, *orr = e->result;
    e->f = Py_NewRef(f);
    e->key = Py_NewRef(key);
    e->new = Py_NewRef(new);
    e->result = Py_NewRef(result);
    Py_XDECREF(of);
    Py_XDECREF(ok);
    Py_XDECREF(on);
    Py_XDECREF(orr);
}

static inline int is_atom(PyObject *v) {
    return PyLong_CheckExact(v) || PyUnicode_CheckExact(v) || (PyObject *)Py_TYPE(v) == model_type;
}

static PyObject *Updater_call(PyObject *obj, PyObject *const *args, size_t nargsf, PyObject *kwnames) {
    UpdaterObject *self = (UpdaterObject *)obj;
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if ((nargs != 3 && nargs != 4) || kwnames != NULL) {
        PyErr_SetString(PyExc_TypeError, "an updater takes (f, key, new[, miss])");
        return NULL;
    }
    PyObject *f = args[0], *key = args[1], *new = args[2];
    /* miss where f is not an Fn or key not in its domain (fn_except's rule): a hit below was
       made by fn_except from that very f and key, and fn_except itself tests the key */
    if (nargs == 4 && (fn_type == NULL || (PyObject *)Py_TYPE(f) != fn_type)) return Py_NewRef(args[3]);
    if (self->kept && is_atom(new) && is_atom(key)) {
        FrontEntry *fe = self->front != NULL ? front_slot(self, f, key, new) : NULL;
        if (fe != NULL && fe->f == f && fe->key == key && fe->new == new) {
            self->hits++;
            return Py_NewRef(fe->result);
        }
        PyObject *id = PyLong_FromVoidPtr(f);
        if (id == NULL) return NULL;
        PyObject *k = PyTuple_Pack(3, id, key, new);
        Py_DECREF(id);
        if (k == NULL) return NULL;
        PyObject *hit = PyDict_GetItemWithError(self->table, k); /* borrowed */
        if (hit == NULL && PyErr_Occurred()) {
            Py_DECREF(k);
            return NULL;
        }
        if (hit != NULL && PyTuple_GET_ITEM(hit, 0) == f) {
            Py_DECREF(k);
            self->hits++;
            if (fe != NULL) front_put(self, fe, f, key, new, PyTuple_GET_ITEM(hit, 1));
            return Py_NewRef(PyTuple_GET_ITEM(hit, 1));
        }
        PyObject *m = fn_except(NULL, args, nargs);
        if (m == NULL || (nargs == 4 && m == args[3])) {
            Py_DECREF(k);
            return m;
        }
        self->calls++; /* the misses */
        if (self->calls == self->trial && self->hits < self->calls) {
            self->kept = 0;
            PyDict_Clear(self->table);
            front_clear(self);
        }
        if (self->kept) {
            if (PyDict_GET_SIZE(self->table) >= self->limit) {
                PyDict_Clear(self->table);
                front_clear(self);
            }
            PyObject *pair = PyTuple_Pack(2, f, m);
            if (pair == NULL || PyDict_SetItem(self->table, k, pair) < 0) Py_CLEAR(m);
            else if (fe != NULL) front_put(self, fe, f, key, new, m);
            Py_XDECREF(pair);
        }
        Py_DECREF(k);
        return m;
    }
    /* (a value of an exact type of the values' own is not of the lazy type) */
    if (self->lazy != Py_None && !is_atom(new) && !PyFrozenSet_CheckExact(new) && !PyTuple_CheckExact(new) &&
        (PyObject *)Py_TYPE(new) != fn_type && !PyBool_Check(new)) {
        int lazy = PyObject_IsInstance(new, self->lazy);
        if (lazy < 0) return NULL;
        if (lazy) {
            if (nargs == 4) { /* (before the new value is normalised) */
                int in = missing_point(f, key);
                if (in != 0) return in < 0 ? NULL : Py_NewRef(args[3]);
            }
            PyObject *real = PyObject_CallOneArg(self->normalize, new);
            if (real == NULL) return NULL;
            PyObject *fixed[3] = {f, key, real};
            PyObject *m = fn_except(NULL, fixed, 3);
            Py_DECREF(real);
            return m;
        }
    }
    return fn_except(NULL, args, nargs);
}

static int Updater_init(UpdaterObject *self, PyObject *args, PyObject *kwds) {
    Py_ssize_t limit, trial;
    PyObject *lazy, *normalize;
    if (!PyArg_ParseTuple(args, "nnOO", &limit, &trial, &lazy, &normalize)) return -1;
    if (fn_type == NULL || hash_offset < 0) {
        PyErr_SetString(PyExc_TypeError, "Updater: configure the fingerprints first");
        return -1;
    }
    Py_XSETREF(self->table, PyDict_New());
    if (self->table == NULL) return -1;
    Py_XSETREF(self->lazy, Py_NewRef(lazy));
    Py_XSETREF(self->normalize, Py_NewRef(normalize));
    self->limit = limit;
    self->trial = trial;
    self->calls = self->hits = 0;
    self->kept = 1;
    self->vectorcall = Updater_call;
    if (self->front == NULL) {
        self->front = PyMem_Calloc((size_t)1 << FRONT_BITS, sizeof(FrontEntry));
        if (self->front == NULL) {
            PyErr_NoMemory();
            return -1;
        }
    } else {
        front_clear(self);
    }
    return 0;
}

static void Updater_dealloc(UpdaterObject *self) {
    front_clear(self);
    PyMem_Free(self->front);
    Py_XDECREF(self->table);
    Py_XDECREF(self->lazy);
    Py_XDECREF(self->normalize);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *Updater_kept(UpdaterObject *self, PyObject *unused) { return PyBool_FromLong(self->kept); }

static PyObject *Updater_size(UpdaterObject *self, PyObject *unused) {
    return PyLong_FromSsize_t(self->table == NULL ? 0 : PyDict_GET_SIZE(self->table));
}

static PyMethodDef updater_methods[] = {
    {"kept", (PyCFunction)Updater_kept, METH_NOARGS, "Whether the table is still kept."},
    {"size", (PyCFunction)Updater_size, METH_NOARGS, "The results the table holds."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject UpdaterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "checker.engine._fp.Updater",
    .tp_basicsize = sizeof(UpdaterObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "Updater(limit, trial, lazy, normalize): values.point_updater's update, in C.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Updater_init,
    .tp_dealloc = (destructor)Updater_dealloc,
    .tp_call = PyVectorcall_Call,
    .tp_vectorcall_offset = offsetof(UpdaterObject, vectorcall),
    .tp_methods = updater_methods,
};

/* changed(domain, new1, old1, new2, old2, ...) -> the keys of the frozenset domain at which
   some new_i holds another object than old_i (each key once, in the order met), or None where
   a pair is not two functions of one kind with the same keys in the same order (two Fn
   walked side by side, keys compared by identity; two tuples of one length, keys 1..n). A pair
   whose new is old is skipped. values.changed_keys is the same in Python; see
   checker/tla/compile/pointwise.py for what it is for. */
static int add_changed(PyObject *out, PyObject *domain, PyObject *key) {
    int in = PySet_Contains(domain, key);
    if (in <= 0) return in;
    in = PySequence_Contains(out, key);
    if (in != 0) return in < 0 ? -1 : 0;
    return PyList_Append(out, key);
}

static PyObject *changed_keys(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs < 1 || nargs % 2 != 1 || !PyFrozenSet_CheckExact(args[0])) {
        PyErr_SetString(PyExc_TypeError, "changed(domain, new1, old1, ...): a frozenset and pairs");
        return NULL;
    }
    PyObject *domain = args[0];
    PyObject *out = PyList_New(0);
    if (out == NULL) return NULL;
    for (Py_ssize_t i = 1; i < nargs; i += 2) {
        PyObject *new = args[i], *old = args[i + 1];
        if (new == old) continue;
        if (fn_type != NULL && (PyObject *)Py_TYPE(new) == fn_type && (PyObject *)Py_TYPE(old) == fn_type) {
            if (PyDict_GET_SIZE(new) != PyDict_GET_SIZE(old)) goto none;
            Py_ssize_t pn = 0, po = 0;
            PyObject *kn, *vn, *ko, *vo;
            while (PyDict_Next(new, &pn, &kn, &vn)) {
                if (!PyDict_Next(old, &po, &ko, &vo) || kn != ko) goto none;
                if (vn != vo && add_changed(out, domain, kn) < 0) goto fail;
            }
        } else if (PyTuple_CheckExact(new) && PyTuple_CheckExact(old)) {
            Py_ssize_t n = PyTuple_GET_SIZE(new);
            if (n != PyTuple_GET_SIZE(old)) goto none;
            for (Py_ssize_t j = 0; j < n; j++) {
                if (PyTuple_GET_ITEM(new, j) == PyTuple_GET_ITEM(old, j)) continue;
                PyObject *key = PyLong_FromSsize_t(j + 1);
                if (key == NULL) goto fail;
                int r = add_changed(out, domain, key);
                Py_DECREF(key);
                if (r < 0) goto fail;
            }
        } else {
            goto none;
        }
    }
    return out;
none:
    Py_DECREF(out);
    Py_RETURN_NONE;
fail:
    Py_DECREF(out);
    return NULL;
}

/* Adds (sign 1) or subtracts (sign -1) the terms of each member of `members` to acc[0..n). */
static int add_terms(uint64_t *acc, Py_ssize_t n, PyObject *members, PyObject *terms, int sign) {
    PyObject *it = PyObject_GetIter(members);
    if (it == NULL) return -1;
    PyObject *x;
    while ((x = PyIter_Next(it)) != NULL) {
        PyObject *t = PyObject_CallOneArg(terms, x);
        Py_DECREF(x);
        if (t == NULL) goto fail;
        PyObject *seq = PySequence_Fast(t, "terms(x) is a sequence of integers");
        Py_DECREF(t);
        if (seq == NULL) goto fail;
        if (PySequence_Fast_GET_SIZE(seq) != n) {
            Py_DECREF(seq);
            PyErr_SetString(PyExc_ValueError, "terms(x) has another length than sums");
            goto fail;
        }
        PyObject **items = PySequence_Fast_ITEMS(seq);
        for (Py_ssize_t i = 0; i < n; i++) {
            uint64_t v = PyLong_AsUnsignedLongLongMask(items[i]);
            if (v == (uint64_t)-1 && PyErr_Occurred()) {
                Py_DECREF(seq);
                goto fail;
            }
            acc[i] = sign > 0 ? acc[i] + v : acc[i] - v;
        }
        Py_DECREF(seq);
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
fail:
    Py_DECREF(it);
    return -1;
}

/* corrected_sums(old, sums, new, terms): checker.symmetry.corrected_sums in C (the same
   result: per column, the sum mod 2^64 of new's members' terms, from old's sums corrected by
   the members added and removed; None when they differ in as many members as new has). */
static PyObject *corrected_sums(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "corrected_sums(old, sums, new, terms)");
        return NULL;
    }
    PyObject *old = args[0], *sums = args[1], *new = args[2], *terms = args[3];
    if (!PyAnySet_Check(old) || !PyAnySet_Check(new) || !PyTuple_CheckExact(sums)) {
        PyErr_SetString(PyExc_TypeError, "corrected_sums(set, tuple, set, callable)");
        return NULL;
    }
    PyObject *added = PyNumber_Subtract(new, old);
    if (added == NULL) return NULL;
    PyObject *removed = PyNumber_Subtract(old, new);
    if (removed == NULL) {
        Py_DECREF(added);
        return NULL;
    }
    PyObject *out = NULL;
    uint64_t small[32], *acc = small;
    Py_ssize_t n = PyTuple_GET_SIZE(sums);
    if (PySet_GET_SIZE(added) + PySet_GET_SIZE(removed) >= PySet_GET_SIZE(new)) {
        out = Py_NewRef(Py_None);
        goto done;
    }
    if (n > 32) {
        acc = PyMem_Malloc(n * sizeof(uint64_t));
        if (acc == NULL) {
            PyErr_NoMemory();
            goto done;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        acc[i] = PyLong_AsUnsignedLongLongMask(PyTuple_GET_ITEM(sums, i));
        if (acc[i] == (uint64_t)-1 && PyErr_Occurred()) goto done;
    }
    if (add_terms(acc, n, added, terms, 1) < 0 || add_terms(acc, n, removed, terms, -1) < 0) goto done;
    out = PyTuple_New(n);
    if (out == NULL) goto done;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *v = PyLong_FromUnsignedLongLong(acc[i]);
        if (v == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyTuple_SET_ITEM(out, i, v);
    }
done:
    if (acc != small) PyMem_Free(acc);
    Py_DECREF(added);
    Py_DECREF(removed);
    return out;
}

/* SmallGroup's row of v: (images, hashes, packed), images and hashes two tuples of n, packed
   the hashes mod 2^64 as n native uint64 in a bytes (a new reference); miss(v) makes and keeps
   the row where the table `rows` has none (SmallGroup._row). */
static PyObject *small_row(PyObject *rows, PyObject *miss, PyObject *v, Py_ssize_t n) {
    PyObject *row = PyDict_GetItemWithError(rows, v);
    if (row != NULL) {
        Py_INCREF(row);
    } else {
        if (PyErr_Occurred()) return NULL;
        row = PyObject_CallOneArg(miss, v);
        if (row == NULL) return NULL;
    }
    if (!PyTuple_CheckExact(row) || PyTuple_GET_SIZE(row) != 3 || !PyTuple_CheckExact(PyTuple_GET_ITEM(row, 0)) ||
        PyTuple_GET_SIZE(PyTuple_GET_ITEM(row, 0)) != n || !PyBytes_CheckExact(PyTuple_GET_ITEM(row, 2)) ||
        PyBytes_GET_SIZE(PyTuple_GET_ITEM(row, 2)) != n * (Py_ssize_t)sizeof(uint64_t)) {
        Py_DECREF(row);
        PyErr_SetString(PyExc_TypeError, "a row is (images, hashes, packed hashes) of n");
        return NULL;
    }
    return row;
}

/* The i-th packed hash of a row. */
static inline uint64_t row_hash(PyObject *row, Py_ssize_t i) {
    uint64_t h;
    memcpy(&h, PyBytes_AS_STRING(PyTuple_GET_ITEM(row, 2)) + i * sizeof(uint64_t), sizeof h);
    return h;
}

/* The rows of a frozenset's members, as a new list. */
static PyObject *member_rows(PyObject *rows, PyObject *miss, PyObject *v, Py_ssize_t n) {
    PyObject *out = PyList_New(PySet_GET_SIZE(v));
    if (out == NULL) return NULL;
    PyObject *it = PyObject_GetIter(v), *x;
    if (it == NULL) goto fail;
    Py_ssize_t k = 0;
    while ((x = PyIter_Next(it)) != NULL) {
        PyObject *row = k < PyList_GET_SIZE(out) ? small_row(rows, miss, x, n) : NULL;
        Py_DECREF(x);
        if (row == NULL) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "a frozenset grew");
            Py_DECREF(it);
            goto fail;
        }
        PyList_SET_ITEM(out, k++, row);
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) goto fail;
    return out;
fail:
    Py_DECREF(out); /* a list's NULL items are skipped when it is freed */
    return NULL;
}

/* small_canonical's image of the state under permutation p: each variable's row image, or for a
   set (is_set, its members' rows listed in parts) the set of its members' images, kept in `last`. */
static PyObject *small_image(PyObject *state, PyObject **parts, const char *is_set, PyObject *last, PyObject *rows,
                             PyObject *miss, Py_ssize_t n, Py_ssize_t p) {
    Py_ssize_t nv = PyTuple_GET_SIZE(state);
    PyObject *image = PyTuple_New(nv);
    if (image == NULL) return NULL;
    for (Py_ssize_t i = 0; i < nv; i++) {
        if (!is_set[i]) {
            PyTuple_SET_ITEM(image, i, Py_NewRef(PyTuple_GET_ITEM(PyTuple_GET_ITEM(parts[i], 0), p)));
            continue;
        }
        PyObject *v = PyTuple_GET_ITEM(state, i);
        PyObject *kept = PyList_GET_ITEM(last, i * n + p);
        if (PyTuple_CheckExact(kept) && PyTuple_GET_SIZE(kept) == 2 && PyTuple_GET_ITEM(kept, 0) == v) {
            PyTuple_SET_ITEM(image, i, Py_NewRef(PyTuple_GET_ITEM(kept, 1)));
            continue;
        }
        /* The members' images added one by one; from 19 members on, into a set then copied (a
           set grown member by member has 128 slots there, a copy 64: CPython 3.11's rules; a
           copy below that size may have more slots than the grown one). Memory only. */
        PyObject *members = parts[i]; /* their rows */
        Py_ssize_t size = PyList_GET_SIZE(members);
        PyObject *grown = size >= 19 ? PySet_New(NULL) : PyFrozenSet_New(NULL);
        if (grown == NULL) goto fail;
        for (Py_ssize_t k = 0; k < size; k++) {
            if (PySet_Add(grown, PyTuple_GET_ITEM(PyTuple_GET_ITEM(PyList_GET_ITEM(members, k), 0), p)) < 0) {
                Py_DECREF(grown);
                goto fail;
            }
        }
        PyObject *set = grown;
        if (size >= 19) {
            set = PyFrozenSet_New(grown);
            Py_DECREF(grown);
            if (set == NULL) goto fail;
        }
        PyTuple_SET_ITEM(image, i, set);
        PyObject *pair = PyTuple_Pack(2, v, set);
        if (pair == NULL) goto fail;
        PyList_SetItem(last, i * n + p, pair); /* steals pair */
    }
    return image;
fail:
    Py_DECREF(image);
    return NULL;
}

/* small_canonical(state, rows, miss, last, n): checker.symmetry.SmallGroup.canonical in C, the
   same representative. Per variable the key of each of the n images: the hash of the value's
   image (its row), or for a frozenset of more than one member the sum mod 2^64 of its members'
   images' hashes; the least key tuple wins (hashes compare as signed, sums as unsigned, as
   Python's ints do). Gives `state` itself where the identity (p = 0) is the only least, the
   winning image where one p is, and the list of the images of every least p, in order, where
   several tie (the caller then decides by value_key). `last` (a list of nvars * n entries) keeps per variable and p the last set and
   its image, given again where the state holds the very same set. */
static PyObject *small_canonical(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 5) {
        PyErr_SetString(PyExc_TypeError, "small_canonical(state, rows, miss, last, n)");
        return NULL;
    }
    PyObject *state = args[0], *rows = args[1], *miss = args[2], *last = args[3];
    Py_ssize_t n = PyLong_AsSsize_t(args[4]);
    if (n == -1 && PyErr_Occurred()) return NULL;
    if (!PyTuple_CheckExact(state) || !PyDict_CheckExact(rows) || !PyList_CheckExact(last) || n < 1 || n > 4096) {
        PyErr_SetString(PyExc_TypeError, "small_canonical(tuple, dict, callable, list, 1 <= n <= 4096)");
        return NULL;
    }
    Py_ssize_t nv = PyTuple_GET_SIZE(state);
    if (nv == 0) return Py_NewRef(state);
    if (PyList_GET_SIZE(last) != nv * n) {
        PyObject *fill = PyList_New(nv * n); /* filled with NULL: replace by None */
        if (fill == NULL) return NULL;
        for (Py_ssize_t k = 0; k < nv * n; k++) PyList_SET_ITEM(fill, k, Py_NewRef(Py_None));
        int r = PyList_SetSlice(last, 0, PyList_GET_SIZE(last), fill);
        Py_DECREF(fill);
        if (r < 0) return NULL;
    }
    PyObject *out = NULL;
    uint64_t small_keys[512];
    PyObject *small_parts[32];
    char small_is_set[32];
    int on_stack = nv <= 32 && nv * n <= 512;
    uint64_t *keys = on_stack ? small_keys : PyMem_Calloc((size_t)(nv * n), sizeof(uint64_t));
    PyObject **parts = on_stack ? small_parts : PyMem_Calloc((size_t)nv, sizeof(PyObject *)); /* a row, or a member list */
    char *is_set = on_stack ? small_is_set : PyMem_Calloc((size_t)nv, 1);
    if (keys == NULL || parts == NULL || is_set == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (on_stack) {
        memset(keys, 0, (size_t)(nv * n) * sizeof(uint64_t));
        memset(parts, 0, (size_t)nv * sizeof(PyObject *));
        memset(is_set, 0, (size_t)nv);
    }
    for (Py_ssize_t i = 0; i < nv; i++) {
        PyObject *v = PyTuple_GET_ITEM(state, i);
        uint64_t *key = keys + i * n;
        if (PyFrozenSet_CheckExact(v) && PySet_GET_SIZE(v) > 1) {
            is_set[i] = 1;
            PyObject *members = parts[i] = member_rows(rows, miss, v, n);
            if (members == NULL) goto done;
            for (Py_ssize_t k = 0; k < PyList_GET_SIZE(members); k++) {
                PyObject *row = PyList_GET_ITEM(members, k);
                for (Py_ssize_t p = 0; p < n; p++) key[p] += row_hash(row, p);
            }
        } else {
            PyObject *row = parts[i] = small_row(rows, miss, v, n);
            if (row == NULL) goto done;
            for (Py_ssize_t p = 0; p < n; p++) key[p] = row_hash(row, p);
        }
    }
    Py_ssize_t best = 0, ties = 1;
    for (Py_ssize_t p = 1; p < n; p++) {
        int c = 0;
        for (Py_ssize_t i = 0; i < nv && c == 0; i++) {
            uint64_t a = keys[i * n + p], b = keys[i * n + best];
            if (a == b) continue;
            if (is_set[i]) c = a < b ? -1 : 1;
            else c = (int64_t)a < (int64_t)b ? -1 : 1;
        }
        if (c < 0) {
            best = p;
            ties = 1;
        } else if (c == 0) {
            ties++;
        }
    }
    if (ties == 1 && best == 0) {
        out = Py_NewRef(state);
        goto done;
    }
    if (ties == 1) {
        out = small_image(state, parts, is_set, last, rows, miss, n, best);
        goto done;
    }
    PyObject *tied = PyList_New(0);
    if (tied == NULL) goto done;
    for (Py_ssize_t p = best; p < n; p++) {
        int same = 1;
        for (Py_ssize_t i = 0; i < nv && same; i++) same = keys[i * n + p] == keys[i * n + best];
        if (!same) continue;
        PyObject *image = small_image(state, parts, is_set, last, rows, miss, n, p);
        if (image == NULL || PyList_Append(tied, image) < 0) {
            Py_XDECREF(image);
            Py_DECREF(tied);
            goto done;
        }
        Py_DECREF(image);
    }
    out = tied;
done:
    if (parts != NULL) {
        for (Py_ssize_t i = 0; i < nv; i++) Py_XDECREF(parts[i]);
    }
    if (!on_stack) {
        PyMem_Free(parts);
        PyMem_Free(keys);
        PyMem_Free(is_set);
    }
    return out;
}

/* field_groups(d, fname, kinds): the members of the set d by the value of their field fname,
   as (the values' type, {value: [members]}), or None unless every member is a record (an
   exact Fn) with that field and all those values are of one type among `kinds` (a set of
   types), or d is empty. checker.tla.compile.code's field index, in C (py_field_groups). */
static PyObject *field_groups(PyObject *module, PyObject *const *args, Py_ssize_t nargs) {
    if (nargs != 3) {
        PyErr_SetString(PyExc_TypeError, "field_groups(d, fname, kinds)");
        return NULL;
    }
    PyObject *d = args[0], *fname = args[1], *kinds = args[2];
    if (fn_type == NULL || !PyAnySet_Check(d) || !PyAnySet_Check(kinds)) {
        PyErr_SetString(PyExc_TypeError, "field_groups(set, str, set of types), after configure");
        return NULL;
    }
    PyObject *groups = PyDict_New();
    if (groups == NULL) return NULL;
    PyObject *kind = NULL; /* borrowed: the type of the first value */
    PyObject *it = PyObject_GetIter(d);
    if (it == NULL) goto fail;
    PyObject *v;
    while ((v = PyIter_Next(it)) != NULL) {
        PyObject *x = (PyObject *)Py_TYPE(v) == fn_type ? PyDict_GetItemWithError(v, fname) : NULL; /* borrowed */
        if (x == NULL) {
            Py_DECREF(v);
            if (PyErr_Occurred()) goto fail_it;
            goto none;
        }
        PyObject *t = (PyObject *)Py_TYPE(x);
        if (t != kind) {
            if (kind != NULL) {
                Py_DECREF(v);
                goto none;
            }
            int ok = PySet_Contains(kinds, t);
            if (ok <= 0) {
                Py_DECREF(v);
                if (ok < 0) goto fail_it;
                goto none;
            }
            kind = t;
        }
        PyObject *group = PyDict_GetItemWithError(groups, x); /* borrowed */
        int r;
        if (group != NULL) {
            r = PyList_Append(group, v);
        } else if (PyErr_Occurred()) {
            r = -1;
        } else {
            group = PyList_New(1);
            if (group == NULL) {
                r = -1;
            } else {
                PyList_SET_ITEM(group, 0, Py_NewRef(v));
                r = PyDict_SetItem(groups, x, group);
                Py_DECREF(group);
            }
        }
        Py_DECREF(v);
        if (r < 0) goto fail_it;
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) goto fail;
    if (kind == NULL) {
        Py_DECREF(groups);
        Py_RETURN_NONE;
    }
    PyObject *out = PyTuple_Pack(2, kind, groups);
    Py_DECREF(groups);
    return out;
none:
    Py_DECREF(it);
    Py_DECREF(groups);
    Py_RETURN_NONE;
fail_it:
    Py_DECREF(it);
fail:
    Py_DECREF(groups);
    return NULL;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "configure(Fn, ModelValue, fallback): the types and the Python fallback."},
    {"fp_value", fp_value, METH_O, "The structural fingerprint of a value (0 .. 2^64-1)."},
    {"fp_state", fp_state, METH_O, "The fingerprint of a state (1 .. 2^64-1)."},
    {"fn_get", (PyCFunction)(void (*)(void))fn_get, METH_FASTCALL, "fn_get(f, key, miss) -> f[key] where f is an Fn with key in its domain, else miss."},
    {"changed", (PyCFunction)(void (*)(void))changed_keys, METH_FASTCALL, "changed(domain, new1, old1, ...) -> the keys of domain where some new_i and old_i differ (identity), or None."},
    {"corrected_sums", (PyCFunction)(void (*)(void))corrected_sums, METH_FASTCALL, "corrected_sums(old, sums, new, terms) -> checker.symmetry.corrected_sums, in C."},
    {"small_canonical", (PyCFunction)(void (*)(void))small_canonical, METH_FASTCALL, "small_canonical(state, rows, miss, last, n) -> SmallGroup.canonical's representative, or the list of the tied images."},
    {"field_groups", (PyCFunction)(void (*)(void))field_groups, METH_FASTCALL, "field_groups(d, fname, kinds) -> (type, {value: [members]}) or None: a set of records by a field."},
    {"clear", clear, METH_NOARGS, "Forget the cached fingerprints (and the references they hold)."},
    {"fn_except", (PyCFunction)(void (*)(void))fn_except, METH_FASTCALL, "fn_except(f, key, new[, miss]) -> [f EXCEPT ![key] = new] for key in f's domain, its fingerprint derived from f's; miss where f is not an Fn or key not in its domain."},
    {"fn_hash_method", fn_hash_method, METH_NOARGS, "Fn.__hash__ in C, as a method of Fn (to install after configure)."},
    {"intern", (PyCFunction)(void (*)(void))intern_state, METH_FASTCALL, "intern(table, limit, succ, parent) -> succ with its new values replaced by the equal ones table holds (by fingerprint)."},
    {"install_fn_hash", install_fn_hash, METH_NOARGS, "Fn's hash slot in C, computed without building the items (after fn_hash_method is installed)."},
    {"probe_add", (PyCFunction)(void (*)(void))probe_add, METH_FASTCALL, "probe_add(table, fp) -> whether fp was added to the array('Q') table."},
    {"min_distance", min_distance, METH_O, "min_distance(table) -> the smallest difference between two fingerprints of an array('Q') table (0: empty)."},
    {"probe_state", (PyCFunction)(void (*)(void))probe_state, METH_FASTCALL, "probe_state(table, counts, state) -> 0 if fp_state(state) was in the table, else it (added and counted in counts = [used, limit])."},
    {"probe_count", (PyCFunction)(void (*)(void))probe_count, METH_FASTCALL, "probe_count(table, counts, fp) -> 0 if fp was in the table, else 1 (added and counted in counts = [used, limit]), 2 once used > limit."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fp", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fp(void) {
    name_attr = PyUnicode_InternFromString("name");
    if (name_attr == NULL) return NULL;
    if (PyType_Ready(&TableType) < 0) return NULL;
    if (PyType_Ready(&UpdaterType) < 0) return NULL;
    small_zero = PyLong_FromLong(0);
    small_one = PyLong_FromLong(1);
    if (small_zero == NULL || small_one == NULL) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) return NULL;
    if (PyModule_AddObjectRef(m, "Table", (PyObject *)&TableType) < 0 ||
        PyModule_AddObjectRef(m, "Updater", (PyObject *)&UpdaterType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
