#include "app/document/undo_history.h"

#include <QVector>

namespace atelier::document {
namespace {

// What the stack holds: a handle on the real command, so that the history can be rebuilt
// without the oldest steps (QUndoStack offers no way to drop them) while keeping the rest.
class Step : public QUndoCommand {
public:
    Step(std::shared_ptr<DocumentCommand> impl, const bool* replaying)
        : impl_(std::move(impl)), replaying_(replaying) {
        setText(impl_->text());
    }
    void redo() override {
        if (!*replaying_) impl_->redo();
        setObsolete(impl_->isObsolete());
    }
    void undo() override {
        if (!*replaying_) impl_->undo();
    }
    int id() const override { return *replaying_ ? -1 : impl_->id(); }
    bool mergeWith(const QUndoCommand* other) override {
        const auto* step = dynamic_cast<const Step*>(other);
        if (!step || !impl_->mergeWith(step->impl_.get())) return false;
        setText(impl_->text());
        // A drag that ends where it started leaves no step (QUndoStack drops obsolete ones).
        setObsolete(impl_->isObsolete());
        return true;
    }
    const std::shared_ptr<DocumentCommand>& impl() const { return impl_; }

private:
    std::shared_ptr<DocumentCommand> impl_;
    const bool* replaying_;
};

}  // namespace

UndoHistory::UndoHistory(qint64 byteBudget) : budget_(byteBudget) {}
UndoHistory::~UndoHistory() = default;

void UndoHistory::push(DocumentCommand* command) {
    stack_.push(new Step(std::shared_ptr<DocumentCommand>(command), &replaying_));
    enforceBudget();
}

void UndoHistory::setByteBudget(qint64 bytes) {
    budget_ = bytes;
    enforceBudget();
}

qint64 UndoHistory::bytesUsed() const {
    qint64 total = 0;
    for (int i = 0; i < stack_.count(); ++i)
        total += static_cast<const Step*>(stack_.command(i))->impl()->bytes();
    return total;
}

void UndoHistory::enforceBudget() {
    const int count = stack_.count();
    const int index = stack_.index();
    qint64 total = bytesUsed();
    if (total <= budget_) return;
    // Drop from the oldest end, never a step that is currently undone (it is needed for redo)
    // and never the newest one.
    int drop = 0;
    while (total > budget_ && drop < index && drop < count - 1) {
        total -= static_cast<const Step*>(stack_.command(drop))->impl()->bytes();
        ++drop;
    }
    if (drop == 0) return;
    QVector<std::shared_ptr<DocumentCommand>> kept;
    for (int i = drop; i < count; ++i)
        kept.push_back(static_cast<const Step*>(stack_.command(i))->impl());
    const int clean = stack_.cleanIndex();
    replaying_ = true;
    stack_.clear();
    for (const auto& impl : kept) stack_.push(new Step(impl, &replaying_));
    if (clean >= drop) {
        stack_.setIndex(clean - drop);
        stack_.setClean();
    } else {
        stack_.resetClean();  // the saved state is no longer reachable by undo
    }
    stack_.setIndex(index - drop);
    replaying_ = false;
}

}  // namespace atelier::document
