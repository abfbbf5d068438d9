/* The 64-bit structural fingerprint of checker/engine/fingerprint.py, in C.
 *
 * fingerprint.py holds the definition and a pure-Python implementation of it; this file
 * computes exactly the same numbers, faster (tests/engine/test_fingerprint.py compares the
 * two on random values). It knows ints, bools, None, str, bytes, tuples (NamedTuples
 * too), sets, dicts (TLA+ functions and records are a dict subclass) and the model value
 * type it is given; for anything else (big integers, dataclasses, subclasses of str or
 * int) it calls the Python implementation back, which gives the same result.
 *
 * Values are immutable once in a state, so the fingerprints of tuples, frozensets and
 * TLA+ functions are kept in a small direct-mapped cache by identity: a successor shares
 * most of its values with its parent. The cache holds a reference to each object it
 * remembers, so an address in the cache is never reused for another object.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
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

static int call_fallback(PyObject *v, uint64_t *out) {
    PyObject *r = PyObject_CallOneArg(fallback, v);
    if (r == NULL) return -1;
    uint64_t x = PyLong_AsUnsignedLongLong(r);
    Py_DECREF(r);
    if (x == (uint64_t)-1 && PyErr_Occurred()) return -1;
    *out = x;
    return 0;
}

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
#if PY_VERSION_HEX < 0x030D0000
        Py_ssize_t pos = 0;
        PyObject *item;
        Py_hash_t hash;
        while (_PySet_NextEntry(v, &pos, &item, &hash)) {
            uint64_t c;
            if (value_fp(item, &c) < 0) return -1;
            sum += mix(c ^ T_ELEM);
        }
#else
        PyObject *it = PyObject_GetIter(v), *item;
        if (it == NULL) return -1;
        while ((item = PyIter_Next(it)) != NULL) {
            uint64_t c;
            int r = value_fp(item, &c);
            Py_DECREF(item);
            if (r < 0) { Py_DECREF(it); return -1; }
            sum += mix(c ^ T_ELEM);
        }
        Py_DECREF(it);
        if (PyErr_Occurred()) return -1;
#endif
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
        sum += mix(mix(k ^ T_KEY) * K1 + x);
    }
    *out = mix(mix(T_FN ^ (uint64_t)PyDict_GET_SIZE(v)) * K1 + sum);
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
    int cached = t == &PyTuple_Type || t == &PyFrozenSet_Type || (PyObject *)t == fn_type;
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
    if (e != NULL) {
        PyObject *old = e->obj;
        Py_INCREF(v);
        e->obj = v;
        e->fp = *out;
        Py_XDECREF(old);
    }
    return 0;
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

static PyObject *configure(PyObject *self, PyObject *args) {
    PyObject *fn, *model, *fb;
    if (!PyArg_ParseTuple(args, "OOO", &fn, &model, &fb)) return NULL;
    Py_XSETREF(fn_type, Py_NewRef(fn));
    Py_XSETREF(model_type, Py_NewRef(model));
    Py_XSETREF(fallback, Py_NewRef(fb));
    Py_RETURN_NONE;
}

static PyObject *clear(PyObject *self, PyObject *unused) {
    for (int i = 0; i < CACHE_SIZE; i++) Py_CLEAR(cache[i].obj);
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"configure", configure, METH_VARARGS, "configure(Fn, ModelValue, fallback): the types and the Python fallback."},
    {"fp_value", fp_value, METH_O, "The structural fingerprint of a value (0 .. 2^64-1)."},
    {"fp_state", fp_state, METH_O, "The fingerprint of a state (1 .. 2^64-1)."},
    {"clear", clear, METH_NOARGS, "Forget the cached fingerprints (and the references they hold)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fp", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fp(void) {
    name_attr = PyUnicode_InternFromString("name");
    if (name_attr == NULL) return NULL;
    return PyModule_Create(&module);
}
