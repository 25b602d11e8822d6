/* SPDX-License-Identifier: MIT */
/* Deferred freeing: an object is freed only after every CPU has passed a point where it holds
   no pointer into kernel objects (return to user mode, or idle). */
#pragma once

struct rcu_item {
    struct rcu_item *next;
    unsigned long stamp;
    void (*free)(struct rcu_item *item);
};

/* Free item with free() once all CPUs are past their current work. */
void rcu_defer(struct rcu_item *item, void (*free)(struct rcu_item *item));
/* This CPU holds no object pointers now, except to the EC it resumes and what that EC holds, its
   page table and FPU owner; those of them that died are let go of first (ec_forget_dead). Record
   it and free what every CPU is past. */
void rcu_quiescent(void);
